/**
 * The tax engine's one question: which rules, at which rates, apply to an invoice for an organization in
 * `country` issued on `issueDate`? Every ACTIVE, not deleted rule of that country, each at the rate of its
 * latest version effective on or before the issue date (a rule whose first version starts later does not
 * apply yet). Ordered by rule name for stable tax lines.
 */
import { sql } from "drizzle-orm";
import type { RuleRate } from "../../contract/billing";
import type { AppDb } from "../../db/client";

export async function applicableTaxRules(db: AppDb, country: string, issueDate: string): Promise<RuleRate[]> {
  const rows = await db.all<{ rule_id: string; rule_name: string; version_id: string; rate_ppm: number }>(sql`
    SELECT r.id AS rule_id, r.name AS rule_name, v.id AS version_id, v.rate_ppm AS rate_ppm
    FROM tax_rules r
    JOIN tax_rule_versions v ON v.rule_id = r.id AND v.effective_from = (
      SELECT MAX(v2.effective_from) FROM tax_rule_versions v2 WHERE v2.rule_id = r.id AND v2.effective_from <= ${issueDate})
    WHERE r.country = ${country} AND r.status = 'active' AND r.deleted_at IS NULL
    ORDER BY r.name, r.id`);
  return rows.map((r) => ({ ruleId: r.rule_id, ruleVersionId: r.version_id, ruleName: r.rule_name, ratePpm: r.rate_ppm }));
}

/** All countries' applicable rules at once (the billing run caches them per page). */
export async function applicableTaxRulesByCountry(db: AppDb, issueDate: string): Promise<Map<string, RuleRate[]>> {
  const rows = await db.all<{ country: string; rule_id: string; rule_name: string; version_id: string; rate_ppm: number }>(sql`
    SELECT r.country AS country, r.id AS rule_id, r.name AS rule_name, v.id AS version_id, v.rate_ppm AS rate_ppm
    FROM tax_rules r
    JOIN tax_rule_versions v ON v.rule_id = r.id AND v.effective_from = (
      SELECT MAX(v2.effective_from) FROM tax_rule_versions v2 WHERE v2.rule_id = r.id AND v2.effective_from <= ${issueDate})
    WHERE r.status = 'active' AND r.deleted_at IS NULL
    ORDER BY r.name, r.id`);
  const map = new Map<string, RuleRate[]>();
  for (const r of rows) {
    const list = map.get(r.country) ?? [];
    list.push({ ruleId: r.rule_id, ruleVersionId: r.version_id, ruleName: r.rule_name, ratePpm: r.rate_ppm });
    map.set(r.country, list);
  }
  return map;
}
