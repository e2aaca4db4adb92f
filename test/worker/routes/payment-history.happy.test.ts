import { describe, expect, it } from "vitest";
import type { InvoiceDetail } from "../../../worker/contract/billing";
import type { TransactionPage } from "../../../worker/contract/wallet";
import { payer } from "../../collection-fixtures";
import { callerAs, expectError } from "../../helpers";
import { complete, confirmInBrowser, payerWithoutCard, start } from "./pay-new-card-helpers";

describe("Payment history: attempts that did not pay, and receipts", () => {
  it("lists the declined and the not completed attempts with their reasons, and the payment with the id its receipt is under (receipts.happy.test.ts draws it)", async () => {
    const { inv, call } = await payerWithoutCard(2_400);
    const declined = await start(call, inv, { expectedAmountMinor: 2_400, saveCard: false });
    await confirmInBrowser(declined.clientSecret!, "4000000000009995");
    await complete(call, inv, declined.paymentId!);
    const abandoned = await start(call, inv, { expectedAmountMinor: 2_400, saveCard: false });
    await complete(call, inv, abandoned.paymentId!);
    const paid = await start(call, inv, { expectedAmountMinor: 2_400, saveCard: false });
    await confirmInBrowser(paid.clientSecret!, "4242424242424242");
    await complete(call, inv, paid.paymentId!);

    const detail = (await (await call("GET", `/api/invoices/${inv}`)).json()) as InvoiceDetail;
    // The test clock stands still (both at the same instant), so compare them in a fixed order.
    const attempts = [...detail.failedAttempts].sort((a, b) => a.outcome.localeCompare(b.outcome));
    expect(attempts.map((a) => [a.id, a.outcome, a.amountMinor, a.method])).toEqual([
      [declined.paymentId, "declined", 2_400, "Card"],
      [abandoned.paymentId, "not_completed", 2_400, "Card"],
    ]);
    expect(attempts[0]!.reason).toMatch(/insufficient funds/i);
    expect(attempts[1]!.reason).toBe("The card payment was not completed; nothing was charged.");
    expect(detail.payments.map((p) => [p.kind, p.amountMinor, p.paymentId])).toEqual([["card_payment", 2_400, paid.paymentId]]);

    // Transaction Logs: the card payment's row names the same payment (its receipt link).
    const logs = (await (await call("GET", `/api/transactions?q=${encodeURIComponent(detail.number ?? "")}`)).json()) as TransactionPage;
    expect(logs.items.filter((t) => t.kind === "card_payment").map((t) => t.paymentId)).toEqual([paid.paymentId]);
    // Another organization neither sees the history nor gets the receipt.
    const stranger = await callerAs((await payer()).user.id);
    await expectError(await stranger("GET", `/api/invoices/${inv}`), 404, "NOT_FOUND");
    await expectError(await stranger("GET", `/api/payments/${paid.paymentId}/receipt.pdf`), 404, "NOT_FOUND");
  });
});
