/**
 * "Delivery Configuration" → Save: the rules of the listed types, one audit row per type whose rule changed,
 * all in one batch. Addresses are validated and de-duplicated; types that never send copies refuse them.
 */
import { eventDef } from "../../contract/email-events";
import { SaveDeliveryInput, type DeliveryRule } from "../../contract/email-dto";
import { atomically, type RawStatement } from "../../db/atomic";
import { emailDeliveryRules } from "../../db/schema";
import { validationFailed } from "../../errors";
import { auditStatement, diffOf } from "../audit/record";
import type { ActorContext } from "../context";
import { DEFAULT_RULE, loadAllDeliveryRules } from "./delivery-rules";
import { listDelivery } from "./list-delivery";

export async function saveDelivery(args: { ctx: ActorContext; input: SaveDeliveryInput }): Promise<DeliveryRule[]> {
  const { ctx } = args;
  const input = SaveDeliveryInput.parse(args.input);
  const fields: Record<string, string> = {};
  input.rules.forEach((r, i) => {
    const def = eventDef(r.event)!;
    if (def.noCopies && (r.bccAdmin || r.bccTo.length)) fields[`rules.${i}.bccTo`] = `${def.label} carries a single-use link or is a test: it is never copied.`;
  });
  if (Object.keys(fields).length) throw validationFailed(fields);
  const current = await loadAllDeliveryRules(ctx);
  const now = ctx.clock.now();
  const statements: RawStatement[] = [];
  for (const r of input.rules) {
    const def = eventDef(r.event)!;
    const next = { sendToCustomers: def.alwaysToRecipient ? true : r.sendToCustomers, bccAdmin: r.bccAdmin, bccTo: [...new Set(r.bccTo)] };
    const before = current.get(r.event) ?? DEFAULT_RULE;
    if (Object.keys(diffOf(before as unknown as Record<string, unknown>, next)).length === 0) continue;
    const values = { sendToCustomers: next.sendToCustomers, bccAdmin: next.bccAdmin, bccTo: JSON.stringify(next.bccTo), updatedAt: now };
    statements.push(
      ctx.db.insert(emailDeliveryRules).values({ event: r.event, ...values }).onConflictDoUpdate({ target: emailDeliveryRules.event, set: values }),
      auditStatement(ctx, { action: "email.delivery.save", orgId: null, targetType: "email_delivery_rule", targetId: r.event, before: { ...before }, after: next }),
    );
  }
  if (statements.length) await atomically(ctx.db, statements);
  return listDelivery({ ctx });
}
