import { and, asc, eq, inArray, isNull } from "drizzle-orm";
import type { TaxRule } from "../../contract/billing";
import { ppmToPercent } from "../../contract/money";
import { taxRules, taxRuleVersions } from "../../db/schema";
import type { DomainContext } from "../context";
import { notFound } from "../../errors";

export const todayUtc = (ms: number) => new Date(ms).toISOString().slice(0, 10);

type RuleRow = typeof taxRules.$inferSelect;
type VersionRow = typeof taxRuleVersions.$inferSelect;

function toDto(rule: RuleRow, versions: VersionRow[], today: string): TaxRule {
  const sorted = versions.filter((v) => v.ruleId === rule.id).sort((a, b) => a.effectiveFrom.localeCompare(b.effectiveFrom));
  const current = [...sorted].reverse().find((v) => v.effectiveFrom <= today) ?? sorted[0];
  const future = sorted.filter((v) => v.effectiveFrom > today);
  const scheduled = future.length ? future[future.length - 1]! : null;
  return {
    id: rule.id,
    name: rule.name,
    country: rule.country,
    status: rule.status,
    ratePercent: current ? ppmToPercent(current.ratePpm) : "0",
    scheduled: scheduled && scheduled !== current ? { ratePercent: ppmToPercent(scheduled.ratePpm), effectiveFrom: scheduled.effectiveFrom } : null,
    pending: future.filter((v) => v !== current).map((v) => ({ ratePercent: ppmToPercent(v.ratePpm), effectiveFrom: v.effectiveFrom })),
    versions: sorted.map((v) => ({ id: v.id, ratePercent: ppmToPercent(v.ratePpm), effectiveFrom: v.effectiveFrom })),
    updatedAt: new Date(rule.updatedAt).toISOString(),
  };
}

/** Every rule not deleted, by country then name, with its rate history. */
export async function listTaxRules(args: { ctx: Pick<DomainContext, "db" | "clock"> }): Promise<TaxRule[]> {
  const { db, clock } = args.ctx;
  const rules = await db.select().from(taxRules).where(isNull(taxRules.deletedAt)).orderBy(asc(taxRules.country), asc(taxRules.name), asc(taxRules.id));
  if (rules.length === 0) return [];
  const versions: VersionRow[] = [];
  for (let i = 0; i < rules.length; i += 90) {
    versions.push(...(await db.select().from(taxRuleVersions).where(inArray(taxRuleVersions.ruleId, rules.slice(i, i + 90).map((r) => r.id)))));
  }
  const today = todayUtc(clock.now());
  return rules.map((r) => toDto(r, versions, today));
}

export async function getTaxRule(args: { ctx: Pick<DomainContext, "db" | "clock">; id: string }): Promise<TaxRule> {
  const { db, clock } = args.ctx;
  const rule = await db.select().from(taxRules).where(and(eq(taxRules.id, args.id), isNull(taxRules.deletedAt))).get();
  if (!rule) throw notFound("Tax rule");
  const versions = await db.select().from(taxRuleVersions).where(eq(taxRuleVersions.ruleId, rule.id));
  return toDto(rule, versions, todayUtc(clock.now()));
}
