import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { paymentMethods } from "../../../worker/db/schema";
import { balances, gatewayCharges, invoiceRow, topUp } from "../../collection-fixtures";
import { db } from "../../factories";
import { control } from "../../local-stripe";
import { complete, confirmInBrowser, paymentsOf, payerWithoutCard, start } from "./pay-new-card-helpers";

describe("Pay now with a new card", () => {
  it("a customer without any card pays with a card typed into Stripe.js; the money lands once and the card is not kept", async () => {
    const { org, inv, call } = await payerWithoutCard(4_200);
    const s = await start(call, inv, { expectedAmountMinor: 4_200, saveCard: false });
    expect(s).toMatchObject({ status: "confirm", walletMinor: 0, cardMinor: 4_200 });
    const [pi] = await gatewayCharges(org.id);
    expect(pi).toMatchObject({ amount: 4_200, status: "requires_payment_method", setup_future_usage: null });
    expect(pi!.metadata).toMatchObject({ invoice_id: inv, payment_id: s.paymentId });
    expect((await confirmInBrowser(s.clientSecret!, "4242424242424242")).status).toBe("succeeded");
    expect(await complete(call, inv, s.paymentId!)).toMatchObject({ status: "paid", invoiceStatus: "paid", amountPaidMinor: 4_200 });
    // Replays (a double click, the webhook first) change nothing.
    expect(await complete(call, inv, s.paymentId!)).toMatchObject({ status: "paid" });
    const rows = await paymentsOf(org.id);
    expect(rows.map((p) => [p.status, p.gatewayPaymentId, p.amountMinor, p.initiatedBy, p.paymentMethodId])).toEqual([["succeeded", pi!.id, 4_200, "customer", null]]);
    expect(rows[0]!.cardFingerprint).toBeTruthy();
    expect(await balances(org.id)).toMatchObject({ receivable: 0, cash: 4_200 });
    expect(await db().select().from(paymentMethods).where(eq(paymentMethods.orgId, org.id))).toEqual([]);
  });

  it("'Save this card for future payments' adds it to Payment Info (the default card) and the payment refers to it", async () => {
    const { org, inv, call } = await payerWithoutCard(1_800);
    const s = await start(call, inv, { expectedAmountMinor: 1_800, saveCard: true });
    expect((await gatewayCharges(org.id))[0]!.setup_future_usage).toBe("off_session");
    await confirmInBrowser(s.clientSecret!, "5555555555554444");
    expect(await complete(call, inv, s.paymentId!)).toMatchObject({ status: "paid" });
    const cards = await db().select().from(paymentMethods).where(eq(paymentMethods.orgId, org.id));
    expect(cards.map((c) => [c.last4, c.isDefault, c.status])).toEqual([["4444", true, "active"]]);
    expect((await paymentsOf(org.id))[0]!.paymentMethodId).toBe(cards[0]!.id);
  });

  it("the wallet pays first; only the rest is asked of the card", async () => {
    const { org, inv, call } = await payerWithoutCard(3_000);
    await topUp(org.id, 1_000);
    const s = await start(call, inv, { expectedAmountMinor: 3_000, saveCard: false });
    expect(s).toMatchObject({ status: "confirm", walletMinor: 1_000, cardMinor: 2_000 });
    expect((await gatewayCharges(org.id))[0]!.amount).toBe(2_000);
    await confirmInBrowser(s.clientSecret!, "4242424242424242");
    expect(await complete(call, inv, s.paymentId!)).toMatchObject({ status: "paid", amountPaidMinor: 3_000 });
  });

  it("a wallet that covers it all pays without a card", async () => {
    const { org, inv, call } = await payerWithoutCard(900);
    await topUp(org.id, 5_000);
    expect(await start(call, inv, { expectedAmountMinor: 900, saveCard: false })).toMatchObject({ status: "paid", paymentId: null, walletMinor: 900, cardMinor: 0 });
    expect((await invoiceRow(inv)).status).toBe("paid");
    expect(await gatewayCharges(org.id)).toEqual([]);
  });

  it("3-D Secure in the same flow: the bank's check passes, the server reads the payment back and it is paid", async () => {
    const { org, inv, call } = await payerWithoutCard(2_600);
    const s = await start(call, inv, { expectedAmountMinor: 2_600, saveCard: false });
    expect((await confirmInBrowser(s.clientSecret!, "4000002760003184")).status).toBe("requires_action");
    const [pi] = await gatewayCharges(org.id);
    await control("/__control/complete_action", { intent: pi!.id, outcome: "succeed" });
    expect(await complete(call, inv, s.paymentId!)).toMatchObject({ status: "paid", invoiceStatus: "paid" });
  });
});
