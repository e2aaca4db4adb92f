import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { autoPayments, invoices, paymentMethods } from "../../../worker/db/schema";
import { cardOnFile, issuedInvoice, payer, payerWithSavedCard } from "../../collection-fixtures";
import { testNow } from "../../clock";
import { createOrg, createUser, db } from "../../factories";
import { callerAs, expectError } from "../../helpers";

async function staff() {
  const operator = await createOrg({ kind: "operator" });
  return callerAs((await createUser({ orgId: operator.id, role: "cloud_admin" })).id);
}

describe("collection routes: clear errors", () => {
  it("Auto Payment ON needs a card chosen", async () => {
    const { user } = await payer();
    const call = await callerAs(user.id);
    const err = await expectError(await call("PUT", "/api/payment-info/auto-payment", { enabled: true }), 400, "VALIDATION_FAILED");
    expect(err.fields).toMatchObject({ cardId: "Choose the card to use for automatic payments." });
  });

  it("Capture Payment: no card, declined with the reason, already paid, cancelled, Auto Payment on, amount changed", async () => {
    const call = await staff();
    const { org } = await payer();
    const noCard = await issuedInvoice(org.id, 1_000);
    expect((await expectError(await call("POST", `/api/invoices/${noCard}/capture-payment`, { expectedAmountMinor: 1_000 }), 409, "NO_CARD")).message).toMatch(/no card on file/);

    const declining = await payerWithSavedCard("4000000000000341");
    const inv = await issuedInvoice(declining.org.id, 2_000);
    const declined = await expectError(await call("POST", `/api/invoices/${inv}/capture-payment`, { expectedAmountMinor: 2_000 }), 402, "CARD_REFUSED");
    expect(declined.message).toBe("The card was declined: Your card was declined.");
    expect((await db().select().from(invoices).where(eq(invoices.id, inv)).get())?.paymentState).toBe("failed");

    const good = await payerWithSavedCard("4242424242424242");
    const paid = await issuedInvoice(good.org.id, 3_000);
    await call("POST", `/api/invoices/${paid}/capture-payment`, { expectedAmountMinor: 3_000 });
    expect((await expectError(await call("POST", `/api/invoices/${paid}/capture-payment`, { expectedAmountMinor: 3_000 }), 409, "INVOICE_NOT_UNPAID")).message).toMatch(/paid/);
    const cancelled = await issuedInvoice(good.org.id, 3_000);
    await db().update(invoices).set({ status: "cancelled" }).where(eq(invoices.id, cancelled));
    expect((await expectError(await call("GET", `/api/invoices/${cancelled}/capture-payment`), 409, "INVOICE_NOT_UNPAID")).message).toMatch(/cancelled/);
    const changed = await issuedInvoice(good.org.id, 3_000);
    await expectError(await call("POST", `/api/invoices/${changed}/capture-payment`, { expectedAmountMinor: 2_999 }), 409, "CONFLICT");
    await db().insert(autoPayments).values({ orgId: good.org.id, enabled: true, paymentMethodId: good.card.id, updatedAt: testNow() });
    expect((await expectError(await call("GET", `/api/invoices/${changed}/capture-payment`), 409, "CONFLICT")).message).toMatch(/Auto Payment on/);
  });

  it("Capture Payment refuses a blocked card", async () => {
    const call = await staff();
    const { org } = await payer();
    const card = await cardOnFile(org.id, "4242424242424242");
    await db().update(paymentMethods).set({ status: "blocked" }).where(eq(paymentMethods.id, card.id));
    const inv = await issuedInvoice(org.id, 1_000);
    await expectError(await call("POST", `/api/invoices/${inv}/capture-payment`, { expectedAmountMinor: 1_000 }), 409, "CARD_BLOCKED");
  });
});
