import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { paymentAllocations, payments } from "../../../worker/db/schema";
import { balances, gatewayCharges, invoiceRow, issuedInvoice, outboxEvents, payerWithCard, topUp } from "../../collection-fixtures";
import { db } from "../../factories";
import { expectAudit } from "../../helpers";

describe("Pay all (My Invoices)", () => {
  it("shows each unpaid invoice's share oldest first, then pays them all with the wallet first and ONE card charge", async () => {
    const { org, call, card } = await payerWithCard();
    const newer = await issuedInvoice(org.id, 5_000, 2);
    const older = await issuedInvoice(org.id, 3_000, 20);
    await topUp(org.id, 1_000);

    const preview = await call("GET", "/api/invoices/pay-all");
    expect(preview.status, await preview.clone().text()).toBe(200);
    expect(await preview.json()).toMatchObject({
      currency: "EUR", totalMinor: 8_000, walletMinor: 1_000, cardMinor: 7_000, card: { id: card.id, label: expect.stringContaining(card.last4) }, leftOutCount: 0,
      invoices: [{ invoiceId: older, dueMinor: 3_000, walletMinor: 1_000, cardMinor: 2_000 }, { invoiceId: newer, dueMinor: 5_000, walletMinor: 0, cardMinor: 5_000 }],
    });

    const res = await call("POST", "/api/invoices/pay-all", { expectedTotalMinor: 8_000 });
    expect(res.status, await res.clone().text()).toBe(200);
    const body = await res.json() as { paymentId: string; walletPaymentId: string };
    expect(body).toMatchObject({ status: "paid", walletMinor: 1_000, cardMinor: 7_000, invoices: [{ invoiceId: older, status: "paid" }, { invoiceId: newer, status: "paid" }] });
    expect((await gatewayCharges(org.id)).map((p) => [p.status, p.amount])).toEqual([["succeeded", 7_000]]);
    const shares = await db().select().from(paymentAllocations).where(eq(paymentAllocations.paymentId, body.paymentId));
    expect(shares.map((s) => [s.invoiceId, s.amountMinor]).sort()).toEqual([[newer, 5_000], [older, 2_000]].sort());
    expect((await db().select().from(payments).where(eq(payments.id, body.paymentId)).get())).toMatchObject({ status: "succeeded", idempotencyKey: `pa:${org.id}:1`, amountMinor: 7_000 });
    expect([(await invoiceRow(older)).status, (await invoiceRow(newer)).status]).toEqual(["paid", "paid"]);
    expect(await balances(org.id)).toMatchObject({ receivable: 0, cash: 8_000, wallet_paid: 0 });

    // Each invoice's detail shows its share of the payment.
    const detail = await (await call("GET", `/api/invoices/${older}`)).json() as { payments: Array<{ kind: string; amountMinor: number }> };
    expect(detail.payments.map((p) => [p.kind, p.amountMinor]).sort()).toEqual([["card_payment", 2_000], ["wallet_payment", 1_000]]);
    expect(await outboxEvents(org.id)).toEqual(["payment.succeeded", "payment.succeeded"]);
    await expectAudit({ action: "payment.succeeded", orgId: org.id }, 2);
  });

  it("a wallet that covers everything pays without a card charge", async () => {
    const { org, call } = await payerWithCard();
    const a = await issuedInvoice(org.id, 1_500, 5);
    const b = await issuedInvoice(org.id, 2_500, 1);
    await topUp(org.id, 10_000);
    const res = await call("POST", "/api/invoices/pay-all", { expectedTotalMinor: 4_000 });
    expect(await res.json()).toMatchObject({ status: "paid", paymentId: null, walletMinor: 4_000, cardMinor: 0 });
    expect([(await invoiceRow(a)).status, (await invoiceRow(b)).status]).toEqual(["paid", "paid"]);
    expect(await gatewayCharges(org.id)).toEqual([]);
  });
});
