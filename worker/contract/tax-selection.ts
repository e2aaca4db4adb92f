/**
 * Which tax rules apply to an invoice: for an organization in `country`, issued on
 * `issueDate`, every ACTIVE, not deleted rule of that country, each at the rate of its latest version effective
 * on or before the issue date; a rule whose first version starts later does not apply yet. Ordered by rule name
 * (then id) for stable tax lines. One function for the server (worker/domain/tax/applicable.ts, which issues the
 * invoice) and the Create Invoice preview (web/pages/billing/InvoiceCreate.tsx), so the preview shows the taxes
 * the invoice will carry. Runtime-neutral: plain data in, plain data out.
 */
import type { RuleRate } from "./billing";

export interface RuleVersionForSelection {
  id: string;
  /** YYYY-MM-DD: the first issue date this rate applies to. */
  effectiveFrom: string;
  ratePpm: number;
}

export interface RuleForSelection {
  id: string;
  name: string;
  country: string;
  status: string;
  /** Deleted rules never apply (the portal's list leaves them out already). */
  deleted?: boolean;
  versions: readonly RuleVersionForSelection[];
}

/** The version in force on `issueDate`: the latest one effective on or before it, whatever order they come in. */
export function versionInForce<V extends { effectiveFrom: string }>(versions: readonly V[], issueDate: string): V | undefined {
  let best: V | undefined;
  for (const v of versions) if (v.effectiveFrom <= issueDate && (!best || v.effectiveFrom > best.effectiveFrom)) best = v;
  return best;
}

const byNameThenId = (a: RuleRate, b: RuleRate) => (a.ruleName < b.ruleName ? -1 : a.ruleName > b.ruleName ? 1 : a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0);

export function selectApplicableRules(rules: readonly RuleForSelection[], country: string, issueDate: string): RuleRate[] {
  const out: RuleRate[] = [];
  for (const r of rules) {
    if (r.country !== country || r.status !== "active" || r.deleted) continue;
    const v = versionInForce(r.versions, issueDate);
    if (v) out.push({ ruleId: r.id, ruleVersionId: v.id, ruleName: r.name, ratePpm: v.ratePpm });
  }
  return out.sort(byNameThenId);
}
