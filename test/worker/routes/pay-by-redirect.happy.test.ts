/**
 * Pay by redirect (ADR 016b "Paying an invoice"): Pay now on the ADPAY sandbox's hosted page, the signed return
 * and callback reconciled into settleInvoices once, whichever comes first; failures kept with their reason.
 */
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { payments } from "../../../worker/db/schema";
import { balances, invoiceRow, issuedInvoice, topUp } from "../../collection-fixtures";
import { db } from "../../factories";
import { useWorld } from "../../helpers";
import { adpayPayer, cancelOnPage, confirmReturn, deliverCallback, eventsOf, payOnPage, returnInput, startPay } from "./pay-by-redirect-helpers";

const world = useWorld();

const paymentsOf = (orgId: string) => db().select().from(payments).where(eq(payments.orgId, orgId));

describe("Pay by redirect (ADPAY)", () => {
  it("offers the hosted page when ADPAY is active", async () => {
    const { call } = await adpayPayer(world.admin.id);
    expect(await (await call("GET", "/api/payments/options")).json()).toMatchObject({ hostedPage: true });
  });

  it("pays an invoice on the hosted page: the return asks ADPAY and settles once; the callback after it is a no-op", async () => {
    const { org, call } = await adpayPayer(world.admin.id);
    const inv = await issuedInvoice(org.id, 4_200);
    const start = await startPay(call, inv, 4_200);
    expect(start.res.status, JSON.stringify(start.body)).toBe(200);
    expect(start.body).toMatchObject({ status: "redirect", amountMinor: 4_200, walletMinor: 0 });
    // A second click gets the same page, not a second payment.
    expect((await startPay(call, inv, 4_200)).body.url).toBe(start.body.url);
    const back = await payOnPage(start.body.url!);
    const result = await confirmReturn(call, returnInput(back!));
    expect(result.body).toMatchObject({ status: "paid", invoiceId: inv, invoiceStatus: "paid", amountPaidMinor: 4_200 });
    const [event] = await eventsOf(returnInput(back!).payment_id);
    expect((await deliverCallback(JSON.stringify(event))).status).toBe(200);
    expect((await confirmReturn(call, returnInput(back!))).body.status).toBe("paid");
    const rows = await paymentsOf(org.id);
    expect(rows.map((r) => [r.channel, r.status, r.amountMinor])).toEqual([["adpay", "succeeded", 4_200]]);
    expect((await balances(org.id)).cash).toBe(4_200);
    expect((await balances(org.id)).receivable).toBe(0);
  });

  it("the signed callback alone settles the invoice (the payer never came back), and a replay changes nothing", async () => {
    const { org, call } = await adpayPayer(world.admin.id);
    const inv = await issuedInvoice(org.id, 1_500);
    const start = await startPay(call, inv, 1_500);
    const back = await payOnPage(start.body.url!);
    const [event] = await eventsOf(returnInput(back!).payment_id);
    for (let i = 0; i < 3; i++) expect((await deliverCallback(JSON.stringify(event))).status).toBe(200);
    expect((await invoiceRow(inv)).status).toBe("paid");
    expect((await balances(org.id)).cash).toBe(1_500);
  });

  it("the wallet pays first; only the rest goes to the hosted page", async () => {
    const { org, call } = await adpayPayer(world.admin.id);
    await topUp(org.id, 1_000);
    const inv = await issuedInvoice(org.id, 3_000);
    const start = await startPay(call, inv, 3_000);
    expect(start.body).toMatchObject({ status: "redirect", walletMinor: 1_000, amountMinor: 2_000 });
    await confirmReturn(call, returnInput((await payOnPage(start.body.url!))!));
    expect((await invoiceRow(inv))).toMatchObject({ status: "paid", amountPaidMinor: 3_000 });
  });

  it("cancelled on the hosted page: the invoice stays unpaid, the reason is kept, and a new Pay now makes a new payment", async () => {
    const { org, call } = await adpayPayer(world.admin.id);
    const inv = await issuedInvoice(org.id, 2_500);
    const start = await startPay(call, inv, 2_500);
    const result = await confirmReturn(call, returnInput(await cancelOnPage(start.body.url!)));
    expect(result.body).toMatchObject({ status: "failed", invoiceStatus: "unpaid" });
    expect(result.body.message).toContain("cancelled");
    const [row] = await paymentsOf(org.id);
    expect(row).toMatchObject({ status: "failed", declineCode: "cancelled_by_payer" });
    const again = await startPay(call, inv, 2_500);
    expect(again.body.url).not.toBe(start.body.url);
    await confirmReturn(call, returnInput((await payOnPage(again.body.url!))!));
    expect((await invoiceRow(inv)).status).toBe("paid");
  });

  it("declined three times on the page: failed with the bank's reason, nothing settled", async () => {
    const { org, call } = await adpayPayer(world.admin.id);
    const inv = await issuedInvoice(org.id, 900);
    const start = await startPay(call, inv, 900);
    let back: string | null = null;
    for (let i = 0; i < 3 && !back; i++) back = await payOnPage(start.body.url!, "4000000000000002");
    const result = await confirmReturn(call, returnInput(back!));
    expect(result.body).toMatchObject({ status: "failed", invoiceStatus: "unpaid" });
    expect((await paymentsOf(org.id))[0]).toMatchObject({ status: "failed", declineCode: "generic_decline" });
  });
});
