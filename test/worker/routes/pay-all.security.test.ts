import { describe, expect, it } from "vitest";
import { gatewayCharges, invoiceRow, issuedInvoice, payer, payerWithCard } from "../../collection-fixtures";
import { callerAs, expectError } from "../../helpers";

describe("Pay all: security", () => {
  it("pays only the caller's own organization, refuses staff, and a replay or a double click never charges twice", async () => {
    const { org, call, admin } = await payerWithCard();
    const mine = [await issuedInvoice(org.id, 1_000, 3), await issuedInvoice(org.id, 2_000, 1)];
    const stranger = await payer();
    const theirs = await issuedInvoice(stranger.org.id, 9_000, 5);
    await expectError(await (await callerAs(admin.id))("GET", "/api/invoices/pay-all"), 403, "FORBIDDEN");
    await expectError(await (await callerAs(admin.id))("POST", "/api/invoices/pay-all", { expectedTotalMinor: 3_000 }), 403, "FORBIDDEN");

    const preview = await (await call("GET", "/api/invoices/pay-all")).json() as { invoices: Array<{ invoiceId: string }> };
    expect(preview.invoices.map((i) => i.invoiceId)).toEqual(mine);
    const both = await Promise.all([1, 2].map(() => call("POST", "/api/invoices/pay-all", { expectedTotalMinor: 3_000 })));
    expect(both.filter((r) => r.status === 200)).toHaveLength(1);
    for (const r of both.filter((x) => x.status !== 200)) expect(r.status).toBe(409);
    await expectError(await call("POST", "/api/invoices/pay-all", { expectedTotalMinor: 3_000 }), 409, "INVOICE_NOT_UNPAID");
    expect((await gatewayCharges(org.id)).map((p) => p.amount)).toEqual([3_000]);
    expect((await invoiceRow(theirs)).status).toBe("unpaid");
  });
});
