import { TaxRuleInput, type TaxRule } from "../../contract/billing";
import { percentToPpm } from "../../contract/money";
import { atomically } from "../../db/atomic";
import { newId } from "../../db/ids";
import { taxRules, taxRuleVersions } from "../../db/schema";
import { validationFailed } from "../../errors";
import { auditStatement } from "../audit/record";
import type { ActorContext } from "../context";
import { getTaxRule, todayUtc } from "./list";

/** "Create Rule": the rule and its first rate version (effective today unless scheduled later), audited. */
export async function createTaxRule(args: { ctx: ActorContext; input: TaxRuleInput }): Promise<TaxRule> {
  const input = TaxRuleInput.parse(args.input);
  const { ctx } = args;
  const now = ctx.clock.now();
  const today = todayUtc(now);
  const effectiveFrom = input.effectiveFrom ?? today;
  if (effectiveFrom < today) throw validationFailed({ effectiveFrom: "A rate cannot take effect in the past." });
  const ratePpm = percentToPpm(input.ratePercent)!;
  const id = newId("taxRule", now);
  await atomically(ctx.db, [
    ctx.db.insert(taxRules).values({ id, name: input.name, country: input.country, status: input.status, createdAt: now, updatedAt: now }),
    ctx.db.insert(taxRuleVersions).values({ id: newId("taxRuleVersion", now), ruleId: id, ratePpm, effectiveFrom, createdAt: now }),
    auditStatement(ctx, {
      action: "tax_rule.created", orgId: null, targetType: "tax_rule", targetId: id,
      after: { name: input.name, country: input.country, ratePercent: input.ratePercent, status: input.status, effectiveFrom },
    }),
  ]);
  return getTaxRule({ ctx, id });
}
