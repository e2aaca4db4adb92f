import { describe, expect, it } from "vitest";
import { gatewayCharges, invoiceRow, issuedInvoice, payerWithCard } from "../../collection-fixtures";

describe("Pay now (My Invoices)", () => {
  it("a customer pays their own unpaid invoice with the card on file, once", async () => {
    const { org, call } = await payerWithCard();
    const inv = await issuedInvoice(org.id, 7_500);
    const res = await call("POST", `/api/invoices/${inv}/pay`, { expectedAmountMinor: 7_500 });
    expect(res.status, await res.clone().text()).toBe(200);
    expect(await res.json()).toMatchObject({ status: "paid", cardMinor: 7_500, walletMinor: 0, invoiceStatus: "paid", amountPaidMinor: 7_500 });
    expect((await invoiceRow(inv)).status).toBe("paid");
    expect((await gatewayCharges(org.id)).map((p) => [p.status, p.amount])).toEqual([["succeeded", 7_500]]);
  });
});
