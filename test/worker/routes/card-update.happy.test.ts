/**
 * Payment Info » Update (docs/decisions/016c-card-settings.md): Cardholder Name and Expiry Date change at Stripe
 * first, then our row; an expired card becomes Active; a Blocked card validated again is unblocked with its
 * decline count kept (docs/decisions/019b-card-health-and-self-pay.md); the same update again is a no-op.
 */
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import type { AddCardResult, UpdateCardResult } from "../../../worker/contract/payments";
import { cardDeclines, paymentMethods } from "../../../worker/db/schema";
import { declines, monthFromNow } from "../../card-fixtures";
import { yearOf } from "../../clock";
import { createWorld, db } from "../../factories";
import { auditRows, expectAudit } from "../../helpers";
import { control, stripeClient } from "../../local-stripe";
import { addCard, enableStripe, freshCustomer, paymentInfo } from "./payment-helpers";

beforeAll(async () => {
  const world = await createWorld();
  await enableStripe(world.admin.id);
});

const saved = async (call: Parameters<typeof addCard>[0], number = "4242424242424242") => ((await addCard(call, number)).body as Extract<AddCardResult, { status: "saved" }>).card;
const row = (id: string) => db().select().from(paymentMethods).where(eq(paymentMethods.id, id)).get();
const yy = (year: number) => String(year % 100).padStart(2, "0");

describe("Update a card", () => {
  it("changes the name and expiry at Stripe and here, audited once; the same update again changes nothing", async () => {
    const { call, userId } = await freshCustomer();
    const card = await saved(call);
    const exp = `07/${yy(yearOf() + 5)}`;
    const res = await call("PUT", `/api/payment-info/cards/${card.id}`, { cardholderName: "Ada King", expiry: exp });
    expect(res.status).toBe(200);
    const body = (await res.json()) as UpdateCardResult;
    expect(body).toMatchObject({ stillBlocked: null, card: { cardholderName: "Ada King", expMonth: 7, expYear: yearOf() + 5, last4: "4242", status: "active" } });
    const pm = await stripeClient().paymentMethods.retrieve((await row(card.id))!.gatewayPaymentMethodId);
    expect(pm.billing_details.name).toBe("Ada King");
    expect([pm.card!.exp_month, pm.card!.exp_year]).toEqual([7, yearOf() + 5]);
    const [audit] = await expectAudit({ action: "payments.card.updated", targetId: card.id, actorUserId: userId });
    expect(JSON.stringify(audit)).not.toContain("Ada King"); // names stay off the audit diff
    expect((await call("PUT", `/api/payment-info/cards/${card.id}`, { cardholderName: "Ada King", expiry: `07 / ${yearOf() + 5}` })).status).toBe(200);
    await expectAudit({ action: "payments.card.updated", targetId: card.id }, 1);
  });

  it("an expired card given a future expiry is Active again and becomes the default when there was none", async () => {
    const { call } = await freshCustomer();
    const card = await saved(call);
    const past = monthFromNow(-2);
    await db().update(paymentMethods).set({ expMonth: past.month, expYear: past.year, isDefault: false }).where(eq(paymentMethods.id, card.id));
    expect((await paymentInfo(call)).cards[0]!.status).toBe("expired");
    const next = monthFromNow(14);
    const res = await call("PUT", `/api/payment-info/cards/${card.id}`, { cardholderName: "Ada Lovelace", expiry: `${String(next.month).padStart(2, "0")}/${yy(next.year)}` });
    expect(res.status).toBe(200);
    expect(((await res.json()) as UpdateCardResult).card).toMatchObject({ status: "active", isDefault: true });
  });

  it("a Blocked card validated again by its bank is unblocked, its decline count kept (audited)", async () => {
    const { call, orgId } = await freshCustomer();
    const card = await saved(call, "4000000000000341"); // saves fine, fails when charged
    const r = (await row(card.id))!;
    await db().update(paymentMethods).set({ status: "blocked", declineCount: 3 }).where(eq(paymentMethods.id, card.id));
    await declines(r.fingerprint, 3, { blocked: true });
    const res = await call("PUT", `/api/payment-info/cards/${card.id}`, { cardholderName: "Ada Lovelace", expiry: `12/${yy(yearOf() + 4)}` });
    expect(((await res.json()) as UpdateCardResult)).toMatchObject({ stillBlocked: null, card: { status: "active" } });
    expect(await db().select().from(cardDeclines).where(eq(cardDeclines.fingerprint, r.fingerprint)).get()).toMatchObject({ count: 3, blockedAt: null });
    expect((await row(card.id))!.declineCount).toBe(3);
    await expectAudit({ action: "payments.card.unblocked", targetId: card.id, orgId });
  });

  it("a Blocked card whose bank asks for 3-D Secure stays Blocked, and says why", async () => {
    const { call } = await freshCustomer();
    const card = await saved(call);
    const r = (await row(card.id))!;
    await control("/__control/script", { payment_method: r.gatewayPaymentMethodId, outcome: "authentication_required" });
    await db().update(paymentMethods).set({ status: "blocked" }).where(eq(paymentMethods.id, card.id));
    await declines(r.fingerprint, 3, { blocked: true });
    const body = (await (await call("PUT", `/api/payment-info/cards/${card.id}`, { cardholderName: "Ada Lovelace", expiry: `12/${yy(yearOf() + 4)}` })).json()) as UpdateCardResult;
    expect(body.card.status).toBe("blocked");
    expect(body.stillBlocked).toMatch(/Replace/);
    expect(await auditRows({ action: "payments.card.unblocked", targetId: card.id })).toHaveLength(0);
  });
});
