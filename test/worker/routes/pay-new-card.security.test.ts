import { describe, expect, it } from "vitest";
import { gatewayCharges, payer } from "../../collection-fixtures";
import { callerAs, expectError } from "../../helpers";
import { complete, confirmInBrowser, paymentsOf, payerWithoutCard, start } from "./pay-new-card-helpers";

describe("Pay now with a new card: security", () => {
  it("another organization's invoice or payment is not found, operators are refused", async () => {
    const { inv, call, admin } = await payerWithoutCard(2_000);
    const other = await payerWithoutCard(2_000);
    const s = await start(call, inv, { expectedAmountMinor: 2_000, saveCard: false });
    const stranger = await callerAs((await payer()).user.id);
    await expectError(await stranger("POST", `/api/invoices/${inv}/pay/new-card`, { expectedAmountMinor: 2_000, saveCard: false }), 404, "NOT_FOUND");
    await expectError(await stranger("POST", `/api/invoices/${inv}/pay/new-card/complete`, { paymentId: s.paymentId }), 404, "NOT_FOUND");
    // Their own invoice, someone else's payment: not found either.
    await expectError(await other.call("POST", `/api/invoices/${other.inv}/pay/new-card/complete`, { paymentId: s.paymentId }), 404, "NOT_FOUND");
    await expectError(await (await callerAs(admin.id))("POST", `/api/invoices/${inv}/pay/new-card`, { expectedAmountMinor: 2_000, saveCard: false }), 403, "FORBIDDEN");
  });

  it("the browser's word is not trusted, and a second start (double click, two tabs) cancels the first payment: one charge at most", async () => {
    const { org, inv, call } = await payerWithoutCard(1_500);
    const first = await start(call, inv, { expectedAmountMinor: 1_500, saveCard: false });
    const second = await start(call, inv, { expectedAmountMinor: 1_500, saveCard: false });
    expect(second.paymentId).not.toBe(first.paymentId);
    // The first tab's secret is worth nothing now.
    expect((await confirmInBrowser(first.clientSecret!, "4242424242424242")).error).toBeDefined();
    expect(await complete(call, inv, first.paymentId!)).toMatchObject({ status: "closed", invoiceStatus: "unpaid" });
    await confirmInBrowser(second.clientSecret!, "4242424242424242");
    expect(await complete(call, inv, second.paymentId!)).toMatchObject({ status: "paid" });
    expect((await gatewayCharges(org.id)).map((p) => p.status).sort()).toEqual(["canceled", "succeeded"]);
    // Both rows carry the same (fixed) clock: compared by attempt key, not by the order the database returns them in.
    expect((await paymentsOf(org.id)).map((p) => [p.idempotencyKey, p.status]).sort(([a], [b]) => (a! < b! ? -1 : 1))).toEqual([[`pi:${inv}:1`, "failed"], [`pi:${inv}:2`, "succeeded"]]);
  });
});
