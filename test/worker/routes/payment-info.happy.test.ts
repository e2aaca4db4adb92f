/**
 * Payment Info, happy path: a card typed into Stripe.js's fields (here: the publishable-key call Stripe.js makes)
 * is saved through a SetupIntent; list, Set as Default, remove, 3-D Secure, online/offline.
 */
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import type { AddCardResult, Card } from "../../../worker/contract/payments";
import { paymentMethods } from "../../../worker/db/schema";
import { db } from "../../factories";
import { expectAudit, useWorld } from "../../helpers";
import { control, stripeClient } from "../../local-stripe";
import { addCard, enableStripe, freshCustomer, paymentInfo } from "./payment-helpers";

const world = useWorld();
beforeAll(() => enableStripe(world.admin.id));

describe("Add a Card", () => {
  it("saves a Visa as the default card, storing only the gateway's ids, brand, last 4, expiry and fingerprint", async () => {
    const { call, orgId, userId } = await freshCustomer();
    const { res, body } = await addCard(call, "4242424242424242");
    expect(res.status, JSON.stringify(body)).toBe(201);
    const saved = body as Extract<AddCardResult, { status: "saved" }>;
    expect(saved.card).toMatchObject({ brand: "visa", brandLabel: "VISA", last4: "4242", status: "active", isDefault: true, cardholderName: "Ada Lovelace" });
    const row = await db().select().from(paymentMethods).where(eq(paymentMethods.orgId, orgId)).get();
    expect(row!.gatewayPaymentMethodId).toMatch(/^pm_/);
    expect(row!.fingerprint).toMatch(/^[A-Za-z0-9]{16}$/);
    expect(JSON.stringify(row)).not.toContain("4242424242424242");
    const pm = await stripeClient().paymentMethods.retrieve(row!.gatewayPaymentMethodId);
    expect(pm.customer).toBe(row!.gatewayCustomerId);
    await expectAudit({ action: "payments.card.added", actorUserId: userId });
    const info = await paymentInfo(call);
    expect(info.cards.map((c) => c.last4)).toEqual(["4242"]);
    expect(info.cardGateway).toMatchObject({ securityBadge: true, acceptedBrands: ["visa", "mastercard", "amex", "discover"] });
    expect(info.cardGateway!.stripeJsUrl).toMatch(/\/v3\/$/);
  });

  it("3-D Secure on setup: requires_action, the bank's challenge is passed, confirm saves the card", async () => {
    const { call } = await freshCustomer();
    const { body } = await addCard(call, "4000002500003155");
    expect(body.status).toBe("requires_action");
    const pending = body as Extract<AddCardResult, { status: "requires_action" }>;
    expect(pending.clientSecret).toMatch(/^seti_.*_secret_/);
    await control("/__control/complete_action", { intent: pending.intentId, outcome: "succeed" });
    const res = await call("POST", "/api/payment-info/cards/confirm", { intentId: pending.intentId });
    expect(res.status).toBe(201);
    expect(((await res.json()) as Extract<AddCardResult, { status: "saved" }>).card.last4).toBe("3155");
    // The webhook or a second confirm finds the card already stored: still one card.
    await call("POST", "/api/payment-info/cards/confirm", { intentId: pending.intentId });
    expect((await paymentInfo(call)).cards).toHaveLength(1);
  });
});

describe("the card list", () => {
  it("Set as Default moves the default; remove takes a card off the list and detaches it at Stripe", async () => {
    const { call, orgId } = await freshCustomer();
    await addCard(call, "4242424242424242");
    const second = (await addCard(call, "5555555555554444")).body as Extract<AddCardResult, { status: "saved" }>;
    expect(second.card.isDefault).toBe(false);
    const res = await call("POST", `/api/payment-info/cards/${second.card.id}/default`);
    expect(((await res.json()) as Card).isDefault).toBe(true);
    const cards = (await paymentInfo(call)).cards;
    expect(cards.filter((c) => c.isDefault).map((c) => c.last4)).toEqual(["4444"]);

    const visa = cards.find((c) => c.last4 === "4242")!;
    expect((await call("DELETE", `/api/payment-info/cards/${visa.id}`)).status).toBe(204);
    expect((await paymentInfo(call)).cards.map((c) => c.last4)).toEqual(["4444"]);
    const row = await db().select().from(paymentMethods).where(eq(paymentMethods.id, visa.id)).get();
    expect(row!.status).toBe("removed");
    expect((await stripeClient().paymentMethods.retrieve(row!.gatewayPaymentMethodId)).customer).toBeNull();
    expect(orgId).toBe(row!.orgId);
  });

  it("removing the default card makes another valid card the default", async () => {
    const { call } = await freshCustomer({ subscription: true });
    const first = (await addCard(call, "4242424242424242")).body as Extract<AddCardResult, { status: "saved" }>;
    await addCard(call, "5555555555554444");
    expect((await call("DELETE", `/api/payment-info/cards/${first.card.id}`)).status).toBe(204);
    expect((await paymentInfo(call)).cards.map((c) => [c.last4, c.isDefault])).toEqual([["4444", true]]);
  });

  it("offline payment can be chosen when a card is not enforced", async () => {
    const { call } = await freshCustomer();
    const res = await call("PUT", "/api/payment-info/mode", { mode: "offline" });
    expect(res.status).toBe(200);
    expect((await paymentInfo(call)).paymentMode).toBe("offline");
  });
});
