/**
 * The tax engine's one question: which rules, at which rates, apply to an invoice for an organization in
 * `country` issued on `issueDate`? The rules of the country with their versions up to that date are read in one
 * query; the choice itself is `selectApplicableRules` (worker/contract/tax-selection.ts), which the Create
 * Invoice preview runs on the same data.
 */
import { and, eq, isNull, lte } from "drizzle-orm";
import type { RuleRate } from "../../contract/billing";
import { selectApplicableRules, type RuleForSelection } from "../../contract/tax-selection";
import type { AppDb } from "../../db/client";
import { taxRules, taxRuleVersions } from "../../db/schema";

export async function applicableTaxRules(db: AppDb, country: string, issueDate: string): Promise<RuleRate[]> {
  const rows = await db.select({ id: taxRules.id, name: taxRules.name, status: taxRules.status, versionId: taxRuleVersions.id, effectiveFrom: taxRuleVersions.effectiveFrom, ratePpm: taxRuleVersions.ratePpm })
    .from(taxRules).innerJoin(taxRuleVersions, eq(taxRuleVersions.ruleId, taxRules.id))
    .where(and(eq(taxRules.country, country), eq(taxRules.status, "active"), isNull(taxRules.deletedAt), lte(taxRuleVersions.effectiveFrom, issueDate)));
  const rules = new Map<string, RuleForSelection & { versions: RuleForSelection["versions"][number][] }>();
  for (const r of rows) {
    const rule = rules.get(r.id) ?? { id: r.id, name: r.name, country, status: r.status, versions: [] };
    rule.versions.push({ id: r.versionId, effectiveFrom: r.effectiveFrom, ratePpm: r.ratePpm });
    rules.set(r.id, rule);
  }
  return selectApplicableRules([...rules.values()], country, issueDate);
}
