/**
 * Dunning through the API: the Dunning Process settings (preview, audited save, field messages) and the Dunning
 * screen (a suspended organization listed, its timeline, pause and resume; its users may only pay and look after
 * their account). Who may: dunning.security.test.ts.
 */
import { describe, expect, it } from "vitest";
import { DEFAULT_DUNNING_POLICY } from "../../../worker/domain/dunning/policy";
import { today } from "../../clock";
import { age, dunnedCustomer, fireAlarm, openedCases, unpaidInvoice } from "../../dunning-fixtures";
import { auditRows, callerAs, expectAudit, expectError, useWorld } from "../../helpers";

const w = useWorld();
const cases = openedCases();

describe("Dunning Process settings", () => {
  it("reads the defaults, previews a policy, saves it audited, and refuses bad days with field messages", async () => {
    const admin = await callerAs(w.admin.id);
    const read = await admin.get("/api/billing/dunning-settings");
    expect(read.status).toBe(200);
    const policy = { ...DEFAULT_DUNNING_POLICY, grace: { enabled: true, days: 3 } };
    const pre = await admin.post("/api/billing/dunning-settings/preview", policy);
    expect(pre.status).toBe(200);
    expect(await pre.json()).toHaveProperty("openCases");
    const saved = await admin.put("/api/billing/dunning-settings", policy);
    expect(saved.status, await saved.clone().text()).toBe(200);
    expect(((await saved.json()) as { policy: typeof policy }).policy.grace.days).toBe(3);
    const audit = await auditRows({ action: "billing.dunning.updated" });
    expect(audit.some((a) => (a.diff ?? "").includes("grace.days"))).toBe(true);
    await admin.put("/api/billing/dunning-settings", DEFAULT_DUNNING_POLICY); // back to the defaults for other tests
    const bad = await admin.put("/api/billing/dunning-settings", { ...policy, warning: { enabled: true, days: 0 } });
    const err = await expectError(bad, 400, "VALIDATION_FAILED");
    expect(Object.keys(err.fields ?? {})).toContain("warning.days");
  });
});

describe("Dunning screen API and suspension", () => {
  it("lists a suspended organization, shows its timeline, pauses it (audited) and resumes it; its users may only pay and look after their account", async () => {
    const { org, user, sub, stub } = await dunnedCustomer();
    cases.track(org.id);
    await unpaidInvoice(org.id, -1, 5_000, sub.id);
    await stub.refresh(org.id);
    await age(org.id, 15);
    await fireAlarm(org.id);

    const admin = await callerAs(w.admin.id);
    const list = (await (await admin.get(`/api/billing/dunning?state=suspended&search=${encodeURIComponent(org.name)}`)).json()) as { items: Array<{ orgId: string; state: string }>; total: number; page: number };
    expect(list.items.map((i) => i.orgId)).toEqual([org.id]);
    expect(list).toMatchObject({ total: 1, page: 1 });
    // Paged: a page past the end is empty but still counts the match.
    const past = (await (await admin.get(`/api/billing/dunning?search=${encodeURIComponent(org.name)}&page=2&pageSize=1`)).json()) as { items: unknown[]; total: number };
    expect(past).toEqual({ items: [], page: 2, pageSize: 1, total: 1 });
    const one = (await (await admin.get(`/api/billing/dunning/${org.id}`)).json()) as { orgName: string; timeline: Array<{ state: string; status: string }> };
    expect(one.orgName).toBe(org.name);
    expect(one.timeline.map((t) => `${t.state}:${t.status}`)).toEqual(["grace:past", "warning:past", "suspended:current", "delete_notice:scheduled", "terminated:scheduled"]);

    // (The object runs 15 days ahead of this test: see age(); the pause date is after its "today" too.)
    // The customer: a clear code for writes, reads and account security still work, and the standing says why.
    const customer = await callerAs(user.id);
    await expectError(await customer.post("/api/organizations/x/wallet/top-ups", { amount: "1.00", requestKey: crypto.randomUUID() }), 423, "ACCOUNT_SUSPENDED");
    const standing = (await (await customer.get("/api/account/dunning")).json()) as { state: string; suspended: boolean; amountOverdueMinor: number };
    expect(standing).toMatchObject({ state: "suspended", suspended: true, amountOverdueMinor: 5_000 });
    expect((await customer.get("/api/account/sessions")).status).toBe(200);

    const paused = await admin.post(`/api/billing/dunning/${org.id}/pause`, { until: today(30), reason: "Promise to pay by wire" });
    expect(paused.status, await paused.clone().text()).toBe(200);
    await expectAudit({ action: "billing.dunning.paused", orgId: org.id });
    await expectError(await admin.post(`/api/billing/dunning/${org.id}/pause`, { until: today(-1), reason: "x" }), 400, "VALIDATION_FAILED");
    const resumed = await admin.post(`/api/billing/dunning/${org.id}/resume`);
    expect(resumed.status).toBe(200);
    await expectError(await admin.post(`/api/billing/dunning/${org.id}/resume`), 409, "NOT_PAUSED");
  });
});
