/**
 * Pay by redirect (ADPAY), security: another tenant's invoice or payment is not found, operators are refused,
 * a tampered or stale return and a tampered, stale or foreign callback are refused and change nothing.
 */
import { describe, expect, it } from "vitest";
import { invoiceRow, issuedInvoice, payer } from "../../collection-fixtures";
import { expectError, useWorld } from "../../helpers";
import { LOCAL_ADPAY_CREDENTIALS } from "../../local-stripe";
import { hmacHex } from "../../fakes/adpay/protocol";
import { as } from "./payment-helpers";
import { adpayPayer, confirmReturn, deliverCallback, enableAdpay, eventsOf, payOnPage, returnInput, startPay } from "./pay-by-redirect-helpers";

const world = useWorld();

async function paidOnPage() {
  const { org, call } = await adpayPayer(world.admin.id);
  const inv = await issuedInvoice(org.id, 5_000);
  const start = await startPay(call, inv, 5_000);
  const back = (await payOnPage(start.body.url!))!;
  return { org, call, inv, back, input: returnInput(back) };
}

describe("Pay by redirect: security", () => {
  it("another organization's invoice is not found; operators are refused", async () => {
    await enableAdpay(world.admin.id);
    const { org } = await payer();
    const inv = await issuedInvoice(org.id, 1_000);
    const other = await as((await payer()).user.id);
    await expectError(await other("POST", `/api/payments/redirect/invoices/${inv}`, { expectedAmountMinor: 1_000 }), 404, "NOT_FOUND");
    await expectError(await (await as(world.admin.id))("POST", `/api/payments/redirect/invoices/${inv}`, { expectedAmountMinor: 1_000 }), 403, "FORBIDDEN");
    await expectError(await (await as(world.admin.id))("GET", "/api/payments/options"), 403, "FORBIDDEN");
  });

  it("another organization's return is not found and settles nothing there", async () => {
    const { inv, input } = await paidOnPage();
    const other = await as((await payer()).user.id);
    await expectError(await other("POST", "/api/payments/redirect/return", input), 404, "NOT_FOUND");
    expect((await invoiceRow(inv)).status).toBe("unpaid");
  });

  it("a tampered return (status, amount, signature) or a stale one is refused", async () => {
    const { call, inv, input } = await paidOnPage();
    await expectError((await confirmReturn(call, { ...input, amount: "1" })).res, 400, "VALIDATION_FAILED");
    await expectError((await confirmReturn(call, { ...input, status: "failed" })).res, 400, "VALIDATION_FAILED");
    await expectError((await confirmReturn(call, { ...input, signature: "0".repeat(64) })).res, 400, "VALIDATION_FAILED");
    const ts = String(Math.floor(Date.now() / 1000) - 7_200);
    const stale = { ...input, ts, signature: await hmacHex(LOCAL_ADPAY_CREDENTIALS.secret, ["adpay-return", input.payment_id, input.order_ref, input.status, input.amount, input.currency, ts].join("\n")) };
    await expectError((await confirmReturn(call, stale)).res, 400, "VALIDATION_FAILED");
    expect((await invoiceRow(inv)).status).toBe("unpaid");
    // The genuine return still works.
    expect((await confirmReturn(call, input)).body.status).toBe("paid");
  });

  it("a callback signed with another secret, tampered after signing, or stale is refused with 400 and applies nothing", async () => {
    const { inv, input } = await paidOnPage();
    const [event] = await eventsOf(input.payment_id);
    const body = JSON.stringify(event);
    await expectError(await deliverCallback(body, "not-the-secret"), 400, "VALIDATION_FAILED");
    await expectError(await deliverCallback(body, LOCAL_ADPAY_CREDENTIALS.secret, Math.floor(Date.now() / 1000) - 3_600), 400, "VALIDATION_FAILED");
    const res = await deliverCallback(body);
    expect(res.status).toBe(200);
    expect((await invoiceRow(inv)).status).toBe("paid");
  });

  it("the callback's body is never trusted: a forged 'succeeded' for a pending payment is checked with ADPAY and changes nothing", async () => {
    const { org, call } = await adpayPayer(world.admin.id);
    const inv = await issuedInvoice(org.id, 700);
    const start = await startPay(call, inv, 700);
    const paymentId = new URL(start.body.url!).pathname.split("/").pop()!;
    // Signed with the right secret (a leaked one, say), but ADPAY says the payment is still pending.
    const forged = JSON.stringify({ id: "adpevt_forged", type: "payment.succeeded", created_at: new Date().toISOString(), payment: { payment_id: paymentId, status: "succeeded", amount: 700, currency: "EUR" } });
    expect((await deliverCallback(forged)).status).toBe(200);
    expect((await invoiceRow(inv)).status).toBe("unpaid");
  });
});
