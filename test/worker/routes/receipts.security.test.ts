import { describe, it } from "vitest";
import { issuedInvoice, payer, payerWithCard } from "../../collection-fixtures";
import { callerAs, expectError } from "../../helpers";

describe("Receipt PDF: security", () => {
  it("another organization's receipt and an unknown payment are not found", async () => {
    const { org, call } = await payerWithCard();
    await issuedInvoice(org.id, 900, 3);
    await issuedInvoice(org.id, 100, 1);
    const paid = await (await call("POST", "/api/invoices/pay-all", { expectedTotalMinor: 1_000 })).json() as { paymentId: string };
    const stranger = await payer();
    await expectError(await (await callerAs(stranger.user.id))("GET", `/api/payments/${paid.paymentId}/receipt.pdf`), 404, "NOT_FOUND");
    await expectError(await call("GET", "/api/payments/pay_does_not_exist/receipt.pdf"), 404, "NOT_FOUND");
  });
});
