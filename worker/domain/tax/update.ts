import { and, eq, isNull } from "drizzle-orm";
import { TaxRuleUpdateInput, type TaxRule } from "../../contract/billing";
import { percentToPpm, ppmToPercent } from "../../contract/money";
import { atomically, rawStatement, type RawStatement } from "../../db/atomic";
import { newId } from "../../db/ids";
import { taxRules } from "../../db/schema";
import { conflict, validationFailed } from "../../errors";
import { auditIfChanged } from "../audit/record";
import type { ActorContext } from "../context";
import { getTaxRule, todayUtc } from "./list";

/**
 * Edit drawer: name, country and status change at once (suspending stops the rule applying to invoices issued
 * from now on). A rate change never rewrites history: it adds a version effective from `effectiveFrom` (today
 * by default, never earlier), replacing only a version for that same day. A change already scheduled for a later
 * date is kept — whatever else the edit changes (status, name, a different rate from another date) — unless the
 * person removes it on purpose (`removeScheduled`). Issued invoices keep the rule, version and rate frozen in
 * `invoice_taxes`.
 */
export async function updateTaxRule(args: { ctx: ActorContext; id: string; input: TaxRuleUpdateInput }): Promise<TaxRule> {
  const input = TaxRuleUpdateInput.parse(args.input);
  const { ctx, id } = args;
  const before = await getTaxRule({ ctx, id });
  const now = ctx.clock.now();
  const today = todayUtc(now);
  const effectiveFrom = input.effectiveFrom ?? today;
  if (effectiveFrom < today) throw validationFailed({ effectiveFrom: "A rate cannot take effect in the past." });
  const ratePpm = percentToPpm(input.ratePercent)!;
  const removeScheduled = input.removeScheduled === true && before.versions.some((v) => v.effectiveFrom > today);
  // The rate in force on that date once this edit is applied: a scheduled change being removed no longer counts.
  const remaining = removeScheduled ? before.versions.filter((v) => v.effectiveFrom <= today) : before.versions;
  const versionAtDate = [...remaining].reverse().find((v) => v.effectiveFrom <= effectiveFrom);
  const rateChanges = !versionAtDate || percentToPpm(versionAtDate.ratePercent) !== ratePpm;

  // The rate history as it will be after this edit, for the audit row.
  const next = [...remaining.filter((v) => !(rateChanges && v.effectiveFrom === effectiveFrom)), ...(rateChanges ? [{ ratePercent: ppmToPercent(ratePpm), effectiveFrom }] : [])]
    .sort((x, y) => x.effectiveFrom.localeCompare(y.effectiveFrom));
  const inForce = (list: Array<{ ratePercent: string; effectiveFrom: string }>) => [...list].reverse().find((v) => v.effectiveFrom <= today)?.ratePercent ?? null;
  const scheduledIn = (list: Array<{ ratePercent: string; effectiveFrom: string }>) => list.filter((v) => v.effectiveFrom > today).map((v) => `${v.ratePercent} % from ${v.effectiveFrom}`);

  const statements: RawStatement[] = [
    ctx.db
      .update(taxRules)
      .set({ name: input.name, country: input.country, status: input.status, updatedAt: now })
      .where(and(eq(taxRules.id, id), isNull(taxRules.deletedAt), eq(taxRules.updatedAt, Date.parse(before.updatedAt)))),
    auditIfChanged(ctx, {
      action: "tax_rule.updated", orgId: null, targetType: "tax_rule", targetId: id,
      before: { name: before.name, country: before.country, status: before.status, ratePercent: before.ratePercent, scheduled: scheduledIn(before.versions) },
      after: { name: input.name, country: input.country, status: input.status, ratePercent: inForce(next), scheduled: scheduledIn(next) },
    }),
  ];
  if (removeScheduled) {
    statements.push(rawStatement(`DELETE FROM tax_rule_versions WHERE rule_id = ? AND effective_from > ?`, [id, today]));
  }
  if (rateChanges) {
    statements.push(
      rawStatement(
        `INSERT INTO tax_rule_versions (id, rule_id, rate_ppm, effective_from, created_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (rule_id, effective_from) DO UPDATE SET rate_ppm = excluded.rate_ppm`,
        [newId("taxRuleVersion", now), id, ratePpm, effectiveFrom, now],
      ),
    );
  }
  const [update] = await atomically(ctx.db, statements);
  if (!update?.meta.changes) throw conflict("This tax rule was changed by someone else. Reload and try again.");
  return getTaxRule({ ctx, id });
}
