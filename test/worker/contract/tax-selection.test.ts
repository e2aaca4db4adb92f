/**
 * The tax-rule selection shared by issuing (worker/domain/tax/applicable.ts) and the Create Invoice preview:
 * only the organization's country, only active and not deleted rules, the rate of the latest version on or
 * before the issue date (a rule not in force yet is left out), and a stable order by name then id.
 */
import { describe, expect, it } from "vitest";
import { selectApplicableRules, versionInForce, type RuleForSelection } from "../../../worker/contract/tax-selection";

const rule = (id: string, over: Partial<RuleForSelection> = {}): RuleForSelection => ({
  id, name: `Rule ${id}`, country: "DE", status: "active",
  versions: [{ id: `${id}-v1`, effectiveFrom: "2030-01-01", ratePpm: 190_000 }], ...over,
});

describe("selectApplicableRules", () => {
  it("keeps only active, not deleted rules of the organization's country", () => {
    const rules = [rule("a"), rule("fr", { country: "FR" }), rule("s", { status: "suspended" }), rule("d", { deleted: true })];
    expect(selectApplicableRules(rules, "DE", "2030-06-01").map((r) => r.ruleId)).toEqual(["a"]);
    expect(selectApplicableRules(rules, "FR", "2030-06-01").map((r) => r.ruleId)).toEqual(["fr"]);
    expect(selectApplicableRules(rules, "US", "2030-06-01")).toEqual([]);
  });

  it("takes the rate of the latest version effective on or before the issue date, in whatever order versions come", () => {
    const versions = [
      { id: "v3", effectiveFrom: "2031-01-01", ratePpm: 210_000 },
      { id: "v1", effectiveFrom: "2030-01-01", ratePpm: 190_000 },
      { id: "v2", effectiveFrom: "2030-07-01", ratePpm: 200_000 },
    ];
    const at = (date: string) => selectApplicableRules([rule("a", { versions })], "DE", date)[0];
    expect(at("2030-06-30")).toEqual({ ruleId: "a", ruleVersionId: "v1", ruleName: "Rule a", ratePpm: 190_000 });
    expect(at("2030-07-01")?.ruleVersionId).toBe("v2");
    expect(at("2030-12-31")?.ratePpm).toBe(200_000);
    expect(at("2031-01-01")?.ratePpm).toBe(210_000);
  });

  it("leaves out a rule whose first version starts after the issue date (scheduled, never retroactive)", () => {
    const rules = [rule("a"), rule("later", { versions: [{ id: "l1", effectiveFrom: "2030-02-01", ratePpm: 70_000 }] })];
    expect(selectApplicableRules(rules, "DE", "2030-01-31").map((r) => r.ruleId)).toEqual(["a"]);
    expect(selectApplicableRules(rules, "DE", "2030-02-01").map((r) => r.ruleId)).toEqual(["a", "later"]);
    expect(selectApplicableRules(rules, "DE", "2029-12-31")).toEqual([]);
  });

  it("orders the tax lines by rule name, then id, whatever order the rules come in", () => {
    const rules = [rule("z1", { name: "VAT" }), rule("b", { name: "City tax" }), rule("a2", { name: "VAT" })];
    expect(selectApplicableRules(rules, "DE", "2030-01-01").map((r) => r.ruleId)).toEqual(["b", "a2", "z1"]);
  });

  it("versionInForce finds nothing before the first version and a zero rate is still a rate", () => {
    expect(versionInForce([], "2030-01-01")).toBeUndefined();
    expect(versionInForce([{ effectiveFrom: "2030-01-02" }], "2030-01-01")).toBeUndefined();
    const zero = [{ id: "z", effectiveFrom: "2030-01-01", ratePpm: 0 }];
    expect(selectApplicableRules([rule("a", { versions: zero })], "DE", "2030-01-01")[0]?.ratePpm).toBe(0);
  });
});
