/**
 * "Enforce Credit Card" at the door: an organization that must hold a card and has no valid one is blocked
 * (standing), its users' writes are refused with CARD_REQUIRED except Payment Info, sign-out and the account;
 * exemptions, the trial exception and expired cards decide who is blocked.
 */
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import type { CardStanding } from "../../../worker/contract/payments";
import { paymentMethods } from "../../../worker/db/schema";
import { yearOf } from "../../clock";
import { createOrg, createSubscription, createUser, createWorld, db, type World } from "../../factories";
import { callerAs, expectError, type Call } from "../../helpers";
import { addCard, cardSettingsInput, enableStripe, freshCustomer } from "./payment-helpers";

let world: World;
beforeAll(async () => {
  world = await createWorld();
  await enableStripe(world.admin.id);
});

const enforce = async (over: Parameters<typeof cardSettingsInput>[0] = {}) => {
  const res = await (await callerAs(world.admin.id))("PUT", "/api/billing/card-settings", cardSettingsInput({ enforceCard: true, ...over }));
  expect(res.status, await res.clone().text()).toBe(200);
};
const standing = async (call: Call) => (await (await call("GET", "/api/account/card-standing")).json()) as CardStanding;
/** A write outside Payment Info and the account (any customer write would do; the refusal comes first). */
const someWrite = (call: Call) => call("POST", "/api/organizations/x/wallet/top-ups", { amount: "1.00", requestKey: crypto.randomUUID() });

describe("Enforce Credit Card", () => {
  it("off (the default): nobody is blocked", async () => {
    const { call } = await freshCustomer();
    expect(await standing(call)).toEqual({ required: false, blocked: false });
    expect((await someWrite(call)).status).not.toBe(402);
  });

  it("on: a customer without a card is blocked until it adds one; Payment Info and the account still work", async () => {
    await enforce();
    const { call } = await freshCustomer();
    expect(await standing(call)).toEqual({ required: true, blocked: true });
    const err = await expectError(await someWrite(call), 402, "CARD_REQUIRED");
    expect(err.message).toMatch(/add a valid credit or debit card/i);
    expect((await call("GET", "/api/payment-info")).status).toBe(200);
    expect((await call("PUT", "/api/payment-info/mode", { mode: "online" })).status).not.toBe(402);
    const { res } = await addCard(call, "4242424242424242");
    expect(res.status).toBe(201);
    expect(await standing(call)).toEqual({ required: true, blocked: false });
    expect((await someWrite(call)).status).not.toBe(402);
  });

  it("a reseller is held to it too; the operator's staff never are", async () => {
    await enforce();
    const reseller = await createOrg({ kind: "reseller" });
    const call = await callerAs((await createUser({ orgId: reseller.id, role: "reseller" })).id);
    expect((await standing(call)).blocked).toBe(true);
    const admin = await callerAs(world.admin.id);
    expect(await standing(admin)).toEqual({ required: false, blocked: false });
    expect((await admin("PUT", "/api/billing/card-settings", cardSettingsInput({ enforceCard: true }))).status).toBe(200);
  });

  it("an only-expired card does not count", async () => {
    await enforce();
    const { call, orgId } = await freshCustomer();
    await addCard(call, "4242424242424242");
    await db().update(paymentMethods).set({ expYear: yearOf() - 1 }).where(eq(paymentMethods.orgId, orgId));
    expect((await standing(call)).blocked).toBe(true);
  });

  it("Enforcement Exemption and Except Trial Customer (a single trial only; two subscriptions are held to it)", async () => {
    const exempt = await freshCustomer();
    const trial = await freshCustomer();
    await createSubscription(trial.orgId, { status: "trial" });
    const two = await freshCustomer();
    await createSubscription(two.orgId, { status: "trial" });
    await createSubscription(two.orgId, { status: "live" });
    await enforce({ exemptOrgIds: [exempt.orgId], exceptTrialCustomer: true });
    expect(await standing(exempt.call)).toEqual({ required: false, blocked: false });
    expect(await standing(trial.call)).toEqual({ required: false, blocked: false });
    expect(await standing(two.call)).toEqual({ required: true, blocked: true });
    await enforce({ exemptOrgIds: [exempt.orgId], exceptTrialCustomer: false });
    expect((await standing(trial.call)).blocked).toBe(true);
  });
});
