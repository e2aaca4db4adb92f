import { describe, expect, it } from "vitest";
import { issuedInvoice, payer, payerWithCard } from "../../collection-fixtures";
import { callerAs, expectError } from "../../helpers";

describe("Pay now: errors", () => {
  it("refuses a changed amount, an unknown field, and an invoice with no card to charge", async () => {
    const { org, call } = await payerWithCard();
    const inv = await issuedInvoice(org.id, 4_000);
    await expectError(await call("POST", `/api/invoices/${inv}/pay`, { expectedAmountMinor: 3_999 }), 409, "CONFLICT");
    await expectError(await call("POST", `/api/invoices/${inv}/pay`, { cardNumber: "4242424242424242" }), 400, "VALIDATION_FAILED");
    const noCard = await payer();
    const other = await issuedInvoice(noCard.org.id, 4_000);
    await expectError(await (await callerAs(noCard.user.id))("POST", `/api/invoices/${other}/pay`, {}), 409, "NO_CARD");
  });
});
