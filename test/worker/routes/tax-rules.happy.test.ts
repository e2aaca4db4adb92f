/**
 * Tax rules: a scheduled rate change survives every other edit (Edit → Suspend → Save kept dropping it) and goes
 * only when the person removes it on purpose. Countries: tax-rules.error.test.ts, contract/countries.test.ts.
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { TaxRule } from "../../../worker/contract/billing";
import { testNow, today } from "../../clock";
import { createSession } from "../../factories";
import { auditRows, expectError, testClient, useWorld } from "../../helpers";

const w = useWorld();
const c = testClient({ now: testNow() });
let admin = "";

beforeAll(async () => {
  admin = await createSession(w.admin.id, testNow());
});

async function createRule(body: Record<string, unknown>): Promise<TaxRule> {
  const res = await c.request("POST", "/api/tax-rules", { cookie: admin, body });
  expect(res.status, await res.clone().text()).toBe(201);
  return (await res.json()) as TaxRule;
}

async function editRule(id: string, body: Record<string, unknown>): Promise<TaxRule> {
  const res = await c.request("PUT", `/api/tax-rules/${id}`, { cookie: admin, body });
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as TaxRule;
}

describe("a scheduled rate change", () => {
  it("is kept when the rule is suspended (the drawer sends the rate in force today, as it shows it)", async () => {
    const rule = await createRule({ name: "Scheduled VAT", country: "MT", ratePercent: "23", status: "active" });
    const later = today(40);
    const scheduled = await editRule(rule.id, { name: rule.name, country: "MT", ratePercent: "10", status: "active", effectiveFrom: later });
    expect(scheduled.ratePercent).toBe("23");
    expect(scheduled.pending).toEqual([{ ratePercent: "10", effectiveFrom: later }]);

    const suspended = await editRule(rule.id, { name: rule.name, country: "MT", ratePercent: "23", status: "suspended", effectiveFrom: today() });
    expect(suspended.status).toBe("suspended");
    expect(suspended.ratePercent).toBe("23");
    expect(suspended.pending).toEqual([{ ratePercent: "10", effectiveFrom: later }]);
    expect(suspended.scheduled).toEqual({ ratePercent: "10", effectiveFrom: later });

    // Renaming without a date at all keeps it too.
    const renamed = await editRule(rule.id, { name: "Scheduled VAT (MT)", country: "MT", ratePercent: "23", status: "active" });
    expect(renamed.pending).toEqual([{ ratePercent: "10", effectiveFrom: later }]);
  });

  it("is kept when another rate is scheduled for a different day, and replaced by one for the same day", async () => {
    const rule = await createRule({ name: "Two steps", country: "CY", ratePercent: "19", status: "active" });
    const first = today(20);
    const second = today(60);
    await editRule(rule.id, { name: rule.name, country: "CY", ratePercent: "17", status: "active", effectiveFrom: second });
    const both = await editRule(rule.id, { name: rule.name, country: "CY", ratePercent: "18", status: "active", effectiveFrom: first });
    expect(both.pending).toEqual([{ ratePercent: "18", effectiveFrom: first }, { ratePercent: "17", effectiveFrom: second }]);
    const replaced = await editRule(rule.id, { name: rule.name, country: "CY", ratePercent: "16", status: "active", effectiveFrom: second });
    expect(replaced.pending).toEqual([{ ratePercent: "18", effectiveFrom: first }, { ratePercent: "16", effectiveFrom: second }]);
  });

  it("goes only when removed on purpose, with an audit row saying so", async () => {
    const rule = await createRule({ name: "Removable", country: "LU", ratePercent: "17", status: "active" });
    const later = today(30);
    await editRule(rule.id, { name: rule.name, country: "LU", ratePercent: "16", status: "active", effectiveFrom: later });
    const removed = await editRule(rule.id, { name: rule.name, country: "LU", ratePercent: "17", status: "suspended", removeScheduled: true });
    expect(removed.pending).toEqual([]);
    expect(removed.scheduled).toBeNull();
    expect(removed.ratePercent).toBe("17");
    expect(removed.versions.map((v) => v.ratePercent)).toEqual(["17"]);
    const audits = await auditRows({ targetId: rule.id });
    const last = audits.filter((a) => a.action === "tax_rule.updated").sort((a, b) => a.at - b.at).at(-1)!;
    const diff = JSON.parse(last.diff) as Record<string, { before: unknown; after: unknown }>;
    expect(diff.scheduled).toEqual({ before: [`16 % from ${later}`], after: [] });
    expect(diff.status).toEqual({ before: "active", after: "suspended" });

    const bad = await expectError(await c.request("PUT", `/api/tax-rules/${rule.id}`, { cookie: admin, body: { name: rule.name, country: "LU", ratePercent: "17", status: "active", removeScheduled: "yes" } }), 400, "VALIDATION_FAILED");
    expect(bad.fields?.removeScheduled).toBeTruthy();
  });
});
