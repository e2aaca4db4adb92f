/**
 * The notification service every module calls to send email (transactional outbox):
 *
 *   const mail = await prepareNotification(ctx, { event, orgId, to, tags, idempotencyKey });
 *   await atomically(ctx.db, [...businessChange, ...mail.statements]);   // one D1 batch
 *   await dispatchEmails(ctx, mail.messages);                            // after commit
 *
 * The outbox row commits with the change that caused it or not at all; the queue message is sent after
 * commit. If that send is lost, `relayStaleOutbox` (cron) re-enqueues rows still queued. A unique
 * idempotency key per email means retrying the business change never queues a second copy, and the consumer
 * skips rows already sent, so a redelivered queue message does not send twice.
 */
import { alias } from "drizzle-orm/sqlite-core";
import { eq } from "drizzle-orm";
import { eventDef, type EmailEventKey } from "../../contract/email-events";
import { EMAIL_LOCALE, formatDate as formatDateIn } from "../../contract/format";
import { rawStatement, type RawStatement } from "../../db/atomic";
import { newId } from "../../db/ids";
import { organizations, users } from "../../db/schema";
import type { EmailMessage } from "../../queues/messages";
import type { DomainContext } from "../context";
import type { AttachmentRef } from "./attachments";
import { cloudAdminAddress, loadDeliveryRule } from "./delivery-rules";
import { developmentSmtp, loadSmtpRow } from "./smtp-settings";

export type Recipient = { userId: string } | { primaryContactOf: string } | { address: string; name?: string };

export interface Notification {
  event: EmailEventKey;
  /** Organization the email concerns (common tags, delivery rules); null for platform mail. */
  orgId: string | null;
  to: Recipient;
  /** The event's own tag values, already formatted for display (money with currency, dates). */
  tags: Record<string, string>;
  /** Unique per email, derived from business identity, e.g. `password.changed:<userId>:<changedAt>`. */
  idempotencyKey: string;
  /** Rendered at send time (see attachments.ts), e.g. `[{ kind: "invoice_pdf", ref: invoiceId }]`. */
  attachments?: AttachmentRef[];
}

export interface PreparedEmails {
  statements: RawStatement[];
  messages: EmailMessage[];
}

export interface ResolvedRecipient {
  address: string;
  name: string | null;
  firstName: string;
  lastName: string;
  /** Cloud-Admin or staff: not a customer/reseller, so "Send To All Customers/Reseller" does not apply. */
  operator: boolean;
}

export async function resolveRecipient(ctx: DomainContext, to: Recipient): Promise<ResolvedRecipient | null> {
  if ("address" in to) return { address: to.address, name: to.name ?? null, firstName: to.name?.split(" ")[0] ?? "", lastName: "", operator: false };
  // One query either way: the primary contact is joined through its organization.
  const columns = { email: users.email, firstName: users.firstName, lastName: users.lastName, role: users.role };
  const user =
    "userId" in to
      ? await ctx.db.select(columns).from(users).where(eq(users.id, to.userId)).get()
      : await ctx.db.select(columns).from(organizations).innerJoin(users, eq(users.id, organizations.primaryUserId)).where(eq(organizations.id, to.primaryContactOf)).get();
  return user
    ? { address: user.email, name: `${user.firstName} ${user.lastName}`, firstName: user.firstName, lastName: user.lastName, operator: user.role === "cloud_admin" || user.role === "staff" }
    : null;
}

const resellerOrg = alias(organizations, "reseller_org");

/** Dates in emails: the portal's date helper in the email locale, so an email and a list show a date alike. */
export function formatDate(ms: number, timeZone = "UTC"): string {
  return formatDateIn(ms, { locale: EMAIL_LOCALE, timeZone });
}

/** Per database handle (one per request or queue invocation): a billing run's emails read the sender once. */
const senders = new WeakMap<object, Promise<string>>();

/**
 * `{{support.email}}`: the address mail is sent from ("SMTP Configuration" → sender address, or the development
 * mail catcher's). Empty, the default footer ended with a stray "·" (issue 8).
 */
function supportAddress(ctx: DomainContext): Promise<string> {
  let found = senders.get(ctx.db);
  if (!found) {
    found = loadSmtpRow(ctx).then((row) => row?.fromAddress ?? developmentSmtp(ctx.config)?.fromAddress ?? "");
    senders.set(ctx.db, found);
  }
  return found;
}

export async function commonTags(ctx: DomainContext, orgId: string | null, recipient: ResolvedRecipient): Promise<Record<string, string>> {
  const origin = ctx.config.PUBLIC_ORIGIN.replace(/\/$/, "");
  const tags: Record<string, string> = {
    "platform.name": ctx.config.RP_NAME,
    "platform.logo_url": `${origin}/api/email-assets/default`,
    "portal.url": origin,
    "support.email": await supportAddress(ctx),
    "organization.name": "",
    "organization.type": "",
    "reseller.name": "",
    "user.first_name": recipient.firstName,
    "user.last_name": recipient.lastName,
    "user.email": recipient.address,
    "current.date": formatDate(ctx.clock.now()),
  };
  if (orgId) {
    // The organization and its reseller in one query (this runs once per email, e.g. per invoice of a billing run).
    const org = await ctx.db
      .select({ name: organizations.name, kind: organizations.kind, resellerName: resellerOrg.name })
      .from(organizations)
      .leftJoin(resellerOrg, eq(resellerOrg.id, organizations.resellerId))
      .where(eq(organizations.id, orgId))
      .get();
    if (org) {
      tags["organization.name"] = org.name;
      tags["organization.type"] = org.kind === "reseller" ? "Reseller" : org.kind === "customer" ? "Customer" : "Operator";
      tags["reseller.name"] = org.resellerName ?? "";
    }
  }
  return tags;
}

function outboxRow(ctx: DomainContext, n: Notification, now: number, copy: { kind: "recipient" | "bcc_admin" | "bcc_extra"; key: string; address: string; name: string | null }, data: string) {
  const id = newId("email", now);
  const statement = rawStatement(
    `INSERT INTO email_outbox (id, idempotency_key, event, org_id, copy_kind, to_address, to_name, data, attachments, status, attempts, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'queued', 0, ?, ?) ON CONFLICT (idempotency_key) DO NOTHING`,
    [id, copy.key, n.event, n.orgId, copy.kind, copy.address, copy.name, data, JSON.stringify(n.attachments ?? []), now, now],
  );
  return { statement, message: { type: "email.send" as const, outboxId: id, idempotencyKey: copy.key } };
}

/**
 * Builds the outbox statements for one notification (to include in the caller's batch) and the queue messages
 * to dispatch after commit, applying the Delivery Configuration (delivery-rules.ts): the recipient's copy
 * unless the type is switched off for customers/resellers, plus one separate row per BCC copy (never a Bcc
 * header). Copy keys derive from the notification's key (`<key>#bcc_admin`, `<key>#bcc:<address>`), so a
 * retried business change queues no second copy either. A recipient that cannot be resolved (no primary
 * contact) yields no email.
 */
export async function prepareNotification(ctx: DomainContext, n: Notification): Promise<PreparedEmails> {
  const def = eventDef(n.event);
  if (!def) throw new Error(`Unknown email event: ${n.event}`);
  const recipient = await resolveRecipient(ctx, n.to);
  if (!recipient) return { statements: [], messages: [] };
  const rule = await loadDeliveryRule(ctx, n.event);
  const now = ctx.clock.now();
  const data = JSON.stringify({ ...(await commonTags(ctx, n.orgId, recipient)), ...n.tags });
  const rows: ReturnType<typeof outboxRow>[] = [];
  if (def.alwaysToRecipient || rule.sendToCustomers || recipient.operator) {
    rows.push(outboxRow(ctx, n, now, { kind: "recipient", key: n.idempotencyKey, address: recipient.address, name: recipient.name }, data));
  }
  if (!def.noCopies) {
    const copied = new Set([recipient.address.toLowerCase()]);
    if (rule.bccAdmin) {
      const admin = await cloudAdminAddress(ctx);
      if (admin && !copied.has(admin.email.toLowerCase())) {
        copied.add(admin.email.toLowerCase());
        rows.push(outboxRow(ctx, n, now, { kind: "bcc_admin", key: `${n.idempotencyKey}#bcc_admin`, address: admin.email, name: admin.name }, data));
      }
    }
    for (const address of rule.bccTo) {
      if (copied.has(address.toLowerCase())) continue;
      copied.add(address.toLowerCase());
      rows.push(outboxRow(ctx, n, now, { kind: "bcc_extra", key: `${n.idempotencyKey}#bcc:${address.toLowerCase()}`, address, name: null }, data));
    }
  }
  return { statements: rows.map((r) => r.statement), messages: rows.map((r) => r.message) };
}

/** After commit: hand the messages to the queue. A failure here is repaired by the cron relay, never lost. */
export async function dispatchEmails(ctx: Pick<DomainContext, "emailQueue">, messages: EmailMessage[]): Promise<void> {
  if (messages.length === 0) return;
  try {
    // Queues accept at most 100 messages per sendBatch.
    for (let i = 0; i < messages.length; i += 100) {
      await ctx.emailQueue.sendBatch(messages.slice(i, i + 100).map((body) => ({ body })));
    }
  } catch (err) {
    console.error("[cumulus] email enqueue failed; the outbox relay will retry:", err);
  }
}
