import { describe, expect, it } from "vitest";
import { gatewayCharges, issuedInvoice, payer, payerWithCard } from "../../collection-fixtures";
import { callerAs, expectError } from "../../helpers";

describe("Pay now: security", () => {
  it("another organization's invoice is not found, operators are refused, and a replay never charges twice", async () => {
    const { org, call, admin } = await payerWithCard();
    const inv = await issuedInvoice(org.id, 2_500);
    const stranger = await payer();
    await expectError(await (await callerAs(stranger.user.id))("POST", `/api/invoices/${inv}/pay`, {}), 404, "NOT_FOUND");
    await expectError(await (await callerAs(admin.id))("POST", `/api/invoices/${inv}/pay`, {}), 403, "FORBIDDEN");
    expect((await call("POST", `/api/invoices/${inv}/pay`, {})).status).toBe(200);
    await expectError(await call("POST", `/api/invoices/${inv}/pay`, {}), 409, "INVOICE_NOT_UNPAID");
    expect(await gatewayCharges(org.id)).toHaveLength(1);
  });
});
