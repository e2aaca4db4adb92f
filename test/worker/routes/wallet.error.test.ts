/** Wallet: what a top-up or a free credit refuses (amounts, unknown organizations, a past expiry). */
import { describe, expect, it } from "vitest";
import { expectError, useWorld } from "../../helpers";
import { as, day, key } from "./wallet-helpers";

const world = useWorld();

describe("wallet top-up and free credit", () => {
  it("refuses zero, negative, too precise and malformed amounts, and unknown organizations", async () => {
    const me = await as(world.admin.id);
    for (const amount of ["0", "-5", "0.001", "abc", "1e5", ""]) {
      const e = await expectError(await me.post(`/api/organizations/${world.direct.id}/wallet/top-ups`, { amount, requestKey: key() }), 400, "VALIDATION_FAILED");
      expect(e.fields?.amount, amount).toBeTruthy();
    }
    await expectError(await me.post(`/api/organizations/org_nope/wallet/top-ups`, { amount: "5", requestKey: key() }), 404, "NOT_FOUND");
    await expectError(await me.post(`/api/organizations/${world.operator.id}/wallet/top-ups`, { amount: "5", requestKey: key() }), 404, "NOT_FOUND");
    const past = await expectError(await me.post(`/api/organizations/${world.direct.id}/wallet/free-credits`, { amount: "5", expiresAt: day(-1), requestKey: key() }), 400, "VALIDATION_FAILED");
    expect(past.fields?.expiresAt).toMatch(/past/);
  });
});
