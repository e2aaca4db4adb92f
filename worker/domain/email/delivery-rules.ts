/**
 * "Delivery Configuration" rules, read by the notification service for every email it prepares.
 *
 * The rule (ADR 007):
 * - "Send To All Customers/Reseller" unchecked: the event's own recipient copy is not sent when the recipient
 *   is a customer or reseller user (or an address outside the operator). Operator users (Cloud-Admin, staff)
 *   still get theirs. Types flagged `alwaysToRecipient` in the catalogue (security mail: password changed, MFA,
 *   passkey, email change, account created; and the two test emails) always reach their recipient: turning
 *   off a security notice would hide account takeover from its victim.
 * - "BCC to me": a separate copy to the Cloud-Admin's own address (not staff), its own outbox row.
 * - "BCC to": a separate copy per address. Copies follow the switch above independently (an admin may mute
 *   customers and still watch the type), and are never made for types flagged `noCopies` (single-use links).
 */
import { and, eq } from "drizzle-orm";
import { EMAIL_EVENTS } from "../../contract/email-events";
import { emailDeliveryRules, users } from "../../db/schema";
import type { DomainContext } from "../context";

export interface DeliveryRuleValues {
  sendToCustomers: boolean;
  bccAdmin: boolean;
  bccTo: string[];
}

export const DEFAULT_RULE: DeliveryRuleValues = { sendToCustomers: true, bccAdmin: false, bccTo: [] };

export function parseList(json: string): string[] {
  try {
    const v = JSON.parse(json) as unknown;
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
  } catch {
    return [];
  }
}

export async function loadDeliveryRule(ctx: Pick<DomainContext, "db">, event: string): Promise<DeliveryRuleValues> {
  const row = await ctx.db.select().from(emailDeliveryRules).where(eq(emailDeliveryRules.event, event)).get();
  return row ? { sendToCustomers: row.sendToCustomers, bccAdmin: row.bccAdmin, bccTo: parseList(row.bccTo) } : { ...DEFAULT_RULE };
}

export async function loadAllDeliveryRules(ctx: Pick<DomainContext, "db">): Promise<Map<string, DeliveryRuleValues>> {
  const rows = await ctx.db.select().from(emailDeliveryRules);
  const map = new Map<string, DeliveryRuleValues>();
  for (const e of EMAIL_EVENTS) map.set(e.key, { ...DEFAULT_RULE });
  for (const r of rows) map.set(r.event, { sendToCustomers: r.sendToCustomers, bccAdmin: r.bccAdmin, bccTo: parseList(r.bccTo) });
  return map;
}

/** The Cloud-Admin's own address ("BCC to me"), not a staff member's. */
export async function cloudAdminAddress(ctx: Pick<DomainContext, "db">): Promise<{ email: string; name: string } | null> {
  const admin = await ctx.db
    .select({ email: users.email, firstName: users.firstName, lastName: users.lastName })
    .from(users)
    .where(and(eq(users.role, "cloud_admin"), eq(users.status, "active")))
    .orderBy(users.createdAt)
    .get();
  return admin ? { email: admin.email, name: `${admin.firstName} ${admin.lastName}` } : null;
}
