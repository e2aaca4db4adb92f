/** Payment Info, security: another tenant's card is 404, operators have no Payment Info, card data is refused. */
import { beforeAll, describe, expect, it } from "vitest";
import type { AddCardResult } from "../../../worker/contract/payments";
import { expectError, useWorld } from "../../helpers";
import { addCard, as, enableStripe, freshCustomer } from "./payment-helpers";

const world = useWorld();
beforeAll(() => enableStripe(world.admin.id));

describe("tenancy", () => {
  it("another organization's card cannot be set as default or removed (404)", async () => {
    const owner = await freshCustomer();
    const saved = (await addCard(owner.call, "4242424242424242")).body as Extract<AddCardResult, { status: "saved" }>;
    const intruder = await freshCustomer();
    await expectError(await intruder.call("POST", `/api/payment-info/cards/${saved.card.id}/default`), 404, "NOT_FOUND");
    await expectError(await intruder.call("DELETE", `/api/payment-info/cards/${saved.card.id}`), 404, "NOT_FOUND");
  });

  it("another organization's SetupIntent cannot be confirmed into this one (404)", async () => {
    const owner = await freshCustomer();
    const { body } = await addCard(owner.call, "4000002500003155");
    const { intentId } = body as Extract<AddCardResult, { status: "requires_action" }>;
    const intruder = await freshCustomer();
    await addCard(intruder.call, "4242424242424242"); // has a Stripe customer of its own
    await expectError(await intruder.call("POST", "/api/payment-info/cards/confirm", { intentId }), 404, "NOT_FOUND");
  });

  it("operator users have no Payment Info (403), signed out is 401", async () => {
    const admin = await as(world.admin.id);
    await expectError(await admin("GET", "/api/payment-info"), 403, "FORBIDDEN");
    const staff = await as(world.staffNone.id);
    await expectError(await staff("GET", "/api/payment-info"), 403, "FORBIDDEN");
  });

  it("a reseller manages its own cards", async () => {
    const reseller = await as(world.resellerAUser.id);
    expect((await reseller("GET", "/api/payment-info")).status).toBe(200);
  });
});

describe("card data never enters the API", () => {
  it("a body carrying a card number or CVV is refused, and the number is not echoed", async () => {
    const { call } = await freshCustomer();
    const res = await call("POST", "/api/payment-info/cards", { paymentMethodId: "pm_card_visa", number: "4242424242424242", cvc: "123" });
    const text = await res.text();
    expect(res.status).toBe(400);
    expect(text).not.toContain("4242424242424242");
    const raw = await call("POST", "/api/payment-info/cards", { paymentMethodId: "4242424242424242" });
    expect(raw.status).toBe(400);
  });
});
