/** Payment Info, errors: no gateway, declines, refused brands, last card, shared cards, card-testing limits. */
import { beforeAll, describe, expect, it } from "vitest";
import type { AddCardResult } from "../../../worker/contract/payments";
import { creditCardSettings } from "../../../worker/db/schema";
import { createWorld, db, type World } from "../../factories";
import { expectError } from "../../helpers";
import { control } from "../../local-stripe";
import { addCard, enableStripe, freshCustomer, paymentInfo, typedCard } from "./payment-helpers";

let world: World;
beforeAll(async () => {
  world = await createWorld();
});

describe("before a gateway is enabled", () => {
  it("Payment Info says cards cannot be added, and Add a Card is refused with PAYMENTS_UNAVAILABLE", async () => {
    const { call } = await freshCustomer();
    expect((await paymentInfo(call)).cardGateway).toBeNull();
    const res = await call("POST", "/api/payment-info/cards", { paymentMethodId: await typedCard("4242424242424242") });
    const err = await expectError(res, 409, "PAYMENTS_UNAVAILABLE");
    expect(err.message).toMatch(/not enabled a payment gateway/);
  });
});

describe("with Stripe", () => {
  beforeAll(async () => {
    await enableStripe(world.admin.id, { acceptedBrands: ["visa", "mastercard"] });
  });

  it("a declined card is refused with the bank's reason and not saved", async () => {
    const { call } = await freshCustomer();
    const { res } = await addCard(call, "4000000000000002");
    const err = await expectError(res, 402, "CARD_REFUSED");
    expect(err.message).toMatch(/declined/i);
    expect((await paymentInfo(call)).cards).toEqual([]);
  });

  it("a brand the admin did not accept is refused before any setup, naming the accepted ones", async () => {
    const { call } = await freshCustomer();
    const { res } = await addCard(call, "378282246310005");
    const err = await expectError(res, 402, "CARD_REFUSED");
    expect(err.message).toBe("American Express cards are not accepted. Accepted cards: VISA, Master Card.");
  });

  it("3-D Secure failed: confirm refuses and nothing is saved", async () => {
    const { call } = await freshCustomer();
    const { body } = await addCard(call, "4000002500003155");
    const { intentId } = body as Extract<AddCardResult, { status: "requires_action" }>;
    await control("/__control/complete_action", { intent: intentId, outcome: "fail" });
    await expectError(await call("POST", "/api/payment-info/cards/confirm", { intentId }), 402, "CARD_REFUSED");
    expect((await paymentInfo(call)).cards).toEqual([]);
  });

  it("the last valid card cannot be removed while a subscription is ongoing, and the message says why", async () => {
    const { call } = await freshCustomer({ subscription: true });
    const saved = (await addCard(call, "4242424242424242")).body as Extract<AddCardResult, { status: "saved" }>;
    const err = await expectError(await call("DELETE", `/api/payment-info/cards/${saved.card.id}`), 409, "LAST_CARD");
    expect(err.message).toMatch(/only valid card and you have ongoing subscriptions/);
    expect((await paymentInfo(call)).cards).toHaveLength(1);
  });

  it("without subscriptions the last card may go", async () => {
    const { call } = await freshCustomer();
    const saved = (await addCard(call, "4242424242424242")).body as Extract<AddCardResult, { status: "saved" }>;
    expect((await call("DELETE", `/api/payment-info/cards/${saved.card.id}`)).status).toBe(204);
  });

  it("Link Multiple Accounts off: a card on file elsewhere is refused without naming the other account", async () => {
    await db().insert(creditCardSettings).values({ id: 1, linkMultipleAccounts: false, updatedAt: 0 }).onConflictDoUpdate({ target: creditCardSettings.id, set: { linkMultipleAccounts: false } });
    try {
      const first = await freshCustomer();
      expect((await addCard(first.call, "5200828282828210")).res.status).toBe(201);
      const second = await freshCustomer();
      const err = await expectError((await addCard(second.call, "5200828282828210")).res, 402, "CARD_REFUSED");
      expect(err.message).toMatch(/already in use by another account/);
      expect(err.message).not.toMatch(/Org |org_/);
      expect((await addCard(first.call, "5200828282828210")).res.status).toBe(201); // the same account may add it again
    } finally {
      await db().update(creditCardSettings).set({ linkMultipleAccounts: true });
    }
  });

  it("card testing: the 6th attempt in an hour for one organization is refused with Retry-After", async () => {
    const { call } = await freshCustomer();
    for (let i = 0; i < 5; i++) await addCard(call, "4000000000000002");
    const { res } = await addCard(call, "4000000000000002");
    await expectError(res.clone(), 429, "RATE_LIMITED");
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
  });

  it("offline payment is refused while a card is enforced", async () => {
    await db().insert(creditCardSettings).values({ id: 1, enforceCard: true, updatedAt: 0 }).onConflictDoUpdate({ target: creditCardSettings.id, set: { enforceCard: true } });
    try {
      const { call } = await freshCustomer();
      await expectError(await call("PUT", "/api/payment-info/mode", { mode: "offline" }), 409, "CONFLICT");
      expect((await paymentInfo(call)).cardRequired).toBe(true);
    } finally {
      await db().update(creditCardSettings).set({ enforceCard: false });
    }
  });
});
