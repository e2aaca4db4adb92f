/** Credit Card Settings, errors: field messages for amounts, limits and exemptions; nothing saved. */
import { beforeAll, describe, expect, it } from "vitest";
import type { CardSettings } from "../../../worker/contract/payments";
import { createWorld, type World } from "../../factories";
import { auditRows, callerAs, expectError } from "../../helpers";
import { cardSettingsInput } from "./payment-helpers";

let world: World;
beforeAll(async () => {
  world = await createWorld();
});

describe("Save refuses", () => {
  it.each([
    [{ validityDeductionEnabled: true, validityDeduction: "" }, "validityDeduction", /Enter the amount/],
    [{ validityDeductionEnabled: true, validityDeduction: "1.005" }, "validityDeduction", /at most 2 decimals/],
    [{ validityDeductionEnabled: true, validityDeduction: "0" }, "validityDeduction", /greater than zero/],
    [{ validityDeductionEnabled: true, validityDeduction: "abc" }, "validityDeduction", /amount like/],
    [{ declineLimit: 0 }, "declineLimit", /At least 1/],
    [{ declineLimit: 11 }, "declineLimit", /At most 10/],
    [{ declineLimit: 2.5 }, "declineLimit", /whole number/],
  ])("%j with a message on %s", async (over, field, message) => {
    const res = await (await callerAs(world.admin.id))("PUT", "/api/billing/card-settings", cardSettingsInput(over));
    const err = await expectError(res, 400, "VALIDATION_FAILED");
    expect(err.fields?.[field]).toMatch(message);
  });

  it("an exemption of an unknown or operator organization", async () => {
    const call = await callerAs(world.admin.id);
    for (const id of ["org_does_not_exist", world.operator.id]) {
      const err = await expectError(await call("PUT", "/api/billing/card-settings", cardSettingsInput({ exemptOrgIds: [id] })), 400, "VALIDATION_FAILED");
      expect(err.fields?.exemptOrgIds).toMatch(/customer or reseller/);
    }
  });

  it("unknown fields (a body is taken whole or not at all)", async () => {
    const res = await (await callerAs(world.admin.id))("PUT", "/api/billing/card-settings", { ...cardSettingsInput(), extra: 1 });
    await expectError(res, 400, "VALIDATION_FAILED");
  });

  it("and nothing was saved or audited", async () => {
    const body = (await (await (await callerAs(world.admin.id))("GET", "/api/billing/card-settings")).json()) as CardSettings;
    expect(body.updatedAt).toBeNull();
    expect(await auditRows({ action: "billing.card_settings.updated" })).toHaveLength(0);
  });
});
