/** Credit Card Settings, happy path: defaults, Save with an exemption list and a Validity Deduction, audit. */
import { beforeAll, describe, expect, it } from "vitest";
import type { CardSettings } from "../../../worker/contract/payments";
import { createWorld, type World } from "../../factories";
import { auditRows, callerAs, expectAudit } from "../../helpers";
import { cardSettingsInput } from "./payment-helpers";

let world: World;
beforeAll(async () => {
  world = await createWorld();
});

describe("Credit Card Settings", () => {
  it("starts from the defaults: nothing enforced, cards may be shared, no deduction, 3 declines", async () => {
    const body = (await (await callerAs(world.admin.id))("GET", "/api/billing/card-settings").then((r) => r.json())) as CardSettings;
    expect(body).toMatchObject({ enforceCard: false, exceptTrialCustomer: false, exempt: [], linkMultipleAccounts: true, validityDeductionEnabled: false, validityDeduction: "", declineLimit: 3, updatedAt: null });
  });

  it("Save stores every field, names the exempted organizations, and audits what changed once", async () => {
    const call = await callerAs(world.admin.id);
    const input = cardSettingsInput({
      enforceCard: true, exceptTrialCustomer: true, exemptOrgIds: [world.customerB.id, world.resellerA.id, world.customerB.id],
      linkMultipleAccounts: false, validityDeductionEnabled: true, validityDeduction: "1.50", declineLimit: 5,
    });
    const res = await call("PUT", "/api/billing/card-settings", input);
    expect(res.status, await res.clone().text()).toBe(200);
    const saved = (await res.json()) as CardSettings;
    expect(saved).toMatchObject({ enforceCard: true, exceptTrialCustomer: true, linkMultipleAccounts: false, validityDeductionEnabled: true, validityDeduction: "1.50", validityDeductionMinor: 150, declineLimit: 5 });
    expect(saved.exempt.map((o) => o.id).sort()).toEqual([world.customerB.id, world.resellerA.id].sort());
    expect(saved.exempt.find((o) => o.id === world.customerB.id)).toMatchObject({ name: world.customerB.name, kind: "customer" });
    const [row] = await expectAudit({ action: "billing.card_settings.updated", actorUserId: world.admin.id });
    const diff = JSON.parse(row!.diff) as Record<string, { before: unknown; after: unknown }>;
    expect(diff.validityDeductionMinor).toEqual({ before: 0, after: 150 });
    expect(diff.declineLimit).toEqual({ before: 3, after: 5 });

    // Saving the same settings again changes nothing and writes no second audit row.
    await call("PUT", "/api/billing/card-settings", input);
    expect(await auditRows({ action: "billing.card_settings.updated" })).toHaveLength(1);
    // Switching the deduction off keeps the amount for next time.
    const off = (await (await call("PUT", "/api/billing/card-settings", { ...input, validityDeductionEnabled: false, validityDeduction: "" })).json()) as CardSettings;
    expect(off).toMatchObject({ validityDeductionEnabled: false, validityDeduction: "1.50" });
  });

  it("staff with billing.read can read the settings", async () => {
    expect((await (await callerAs(world.staffRead.id))("GET", "/api/billing/card-settings")).status).toBe(200);
  });
});
