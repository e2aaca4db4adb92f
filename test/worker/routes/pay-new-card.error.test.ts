import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { cardDeclines } from "../../../worker/db/schema";
import { gatewayCharges, invoiceRow } from "../../collection-fixtures";
import { db } from "../../factories";
import { expectError } from "../../helpers";
import { control } from "../../local-stripe";
import { complete, confirmInBrowser, paymentsOf, payerWithoutCard, start } from "./pay-new-card-helpers";

describe("Pay now with a new card: errors", () => {
  it("a declined card is said in words, counted against its fingerprint, its PaymentIntent cancelled; a new attempt may follow", async () => {
    const { org, inv, call } = await payerWithoutCard(3_100);
    const s = await start(call, inv, { expectedAmountMinor: 3_100, saveCard: true });
    expect((await confirmInBrowser(s.clientSecret!, "4000000000009995")).error?.code).toBe("card_declined");
    const done = await complete(call, inv, s.paymentId!);
    expect(done).toMatchObject({ status: "declined", invoiceStatus: "unpaid", amountPaidMinor: 0 });
    expect(done.message).toMatch(/insufficient funds/i);
    const [row] = await paymentsOf(org.id);
    expect([row!.status, row!.declineCode]).toEqual(["failed", "insufficient_funds"]);
    expect((await db().select().from(cardDeclines).where(eq(cardDeclines.fingerprint, row!.cardFingerprint ?? "?")).get())?.count).toBe(1);
    expect((await gatewayCharges(org.id))[0]!.status).toBe("canceled");
    // Replayed: the same answer from our rows, nothing counted twice.
    expect(await complete(call, inv, s.paymentId!)).toMatchObject({ status: "declined" });
    expect((await db().select().from(cardDeclines).where(eq(cardDeclines.fingerprint, row!.cardFingerprint!)).get())?.count).toBe(1);
    const again = await start(call, inv, { expectedAmountMinor: 3_100, saveCard: false });
    await confirmInBrowser(again.clientSecret!, "4242424242424242");
    expect(await complete(call, inv, again.paymentId!)).toMatchObject({ status: "paid" });
  });

  it("a failed 3-D Secure check closes the attempt (nothing counted, nothing charged)", async () => {
    const { org, inv, call } = await payerWithoutCard(1_200);
    const s = await start(call, inv, { expectedAmountMinor: 1_200, saveCard: false });
    await confirmInBrowser(s.clientSecret!, "4000002760003184");
    await control("/__control/complete_action", { intent: (await gatewayCharges(org.id))[0]!.id, outcome: "fail" });
    expect(await complete(call, inv, s.paymentId!)).toMatchObject({ status: "closed", invoiceStatus: "unpaid" });
    const [row] = await paymentsOf(org.id);
    expect([row!.status, row!.declineCode]).toEqual(["failed", "payment_intent_authentication_failure"]);
    expect((await db().select().from(cardDeclines).where(eq(cardDeclines.fingerprint, row!.cardFingerprint ?? "?")).get())?.count ?? 0).toBe(0);
    expect((await gatewayCharges(org.id))[0]!.status).toBe("canceled");
  });

  it("a card never entered: the payment is cancelled at the gateway and recorded as not completed", async () => {
    const { org, inv, call } = await payerWithoutCard(700);
    const s = await start(call, inv, { expectedAmountMinor: 700, saveCard: false });
    expect(await complete(call, inv, s.paymentId!)).toMatchObject({ status: "closed", message: "The card payment was not completed; nothing was charged." });
    expect((await gatewayCharges(org.id))[0]!.status).toBe("canceled");
    expect((await invoiceRow(inv)).status).toBe("unpaid");
  });

  it("refuses a changed amount, a paid invoice and anything else in the body", async () => {
    const { inv, call } = await payerWithoutCard(1_000);
    await expectError(await call("POST", `/api/invoices/${inv}/pay/new-card`, { expectedAmountMinor: 999, saveCard: false }), 409, "CONFLICT");
    await expectError(await call("POST", `/api/invoices/${inv}/pay/new-card`, { expectedAmountMinor: 1_000, saveCard: false, cardNumber: "4242424242424242" }), 400, "VALIDATION_FAILED");
    await expectError(await call("POST", `/api/invoices/${inv}/pay/new-card`, { expectedAmountMinor: 1_000 }), 400, "VALIDATION_FAILED");
    const s = await start(call, inv, { expectedAmountMinor: 1_000, saveCard: false });
    await confirmInBrowser(s.clientSecret!, "4242424242424242");
    await complete(call, inv, s.paymentId!);
    await expectError(await call("POST", `/api/invoices/${inv}/pay/new-card`, { expectedAmountMinor: 1_000, saveCard: false }), 409, "INVOICE_NOT_UNPAID");
  });
});
