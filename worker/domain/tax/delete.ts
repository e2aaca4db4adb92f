import { and, eq, isNull } from "drizzle-orm";
import { atomically } from "../../db/atomic";
import { taxRules } from "../../db/schema";
import { notFound } from "../../errors";
import { auditIfChanged } from "../audit/record";
import type { ActorContext } from "../context";
import { getTaxRule } from "./list";

/**
 * "Delete" (after "Confirm"): a soft delete. The rule stops applying to new invoices; issued invoices keep
 * their frozen copy (rule name, version and rate in `invoice_taxes`).
 */
export async function deleteTaxRule(args: { ctx: ActorContext; id: string }): Promise<void> {
  const { ctx, id } = args;
  const before = await getTaxRule({ ctx, id });
  const now = ctx.clock.now();
  const [update] = await atomically(ctx.db, [
    ctx.db.update(taxRules).set({ deletedAt: now, updatedAt: now }).where(and(eq(taxRules.id, id), isNull(taxRules.deletedAt))),
    auditIfChanged(ctx, {
      action: "tax_rule.deleted", orgId: null, targetType: "tax_rule", targetId: id,
      before: { name: before.name, country: before.country, ratePercent: before.ratePercent, status: before.status }, after: null,
    }),
  ]);
  if (!update?.meta.changes) throw notFound("Tax rule");
}
