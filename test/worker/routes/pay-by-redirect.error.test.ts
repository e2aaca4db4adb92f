/** Pay by redirect (ADPAY): refused inputs, no gateway, a changed total, a lost answer from ADPAY. */
import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { invoices, payments } from "../../../worker/db/schema";
import { issuedInvoice, payer } from "../../collection-fixtures";
import { db } from "../../factories";
import { expectError, useWorld } from "../../helpers";
import { adpay, control } from "../../local-stripe";
import { as } from "./payment-helpers";
import { adpayPayer, confirmReturn, payOnPage, returnInput, startPay } from "./pay-by-redirect-helpers";

const world = useWorld();
afterEach(async () => void (await control("/__control/faults", {})));

describe("Pay by redirect: errors", () => {
  it("without an active hosted-page gateway: PAYMENTS_UNAVAILABLE, nothing written", async () => {
    const { org, user } = await payer();
    const call = await as(user.id);
    const inv = await issuedInvoice(org.id, 1_000);
    expect(await (await call("GET", "/api/payments/options")).json()).toMatchObject({ hostedPage: false });
    await expectError(await call("POST", `/api/payments/redirect/invoices/${inv}`, { expectedAmountMinor: 1_000 }), 409, "PAYMENTS_UNAVAILABLE");
    expect(await db().select().from(payments).where(eq(payments.orgId, org.id))).toEqual([]);
  });

  it("refuses a changed total, bad input, a paid invoice", async () => {
    const { org, call } = await adpayPayer(world.admin.id);
    const inv = await issuedInvoice(org.id, 1_000);
    await expectError(await call("POST", `/api/payments/redirect/invoices/${inv}`, { expectedAmountMinor: 999 }), 409, "CONFLICT");
    await expectError(await call("POST", `/api/payments/redirect/invoices/${inv}`, { expectedAmountMinor: 1_000, cardNumber: "4242424242424242" }), 400, "VALIDATION_FAILED");
    await expectError(await call("POST", `/api/payments/redirect/invoices/${inv}`, {}), 400, "VALIDATION_FAILED");
    expect(await db().select().from(payments).where(eq(payments.orgId, org.id))).toEqual([]);
    const start = await startPay(call, inv, 1_000);
    await confirmReturn(call, returnInput((await payOnPage(start.body.url!))!));
    await expectError(await call("POST", `/api/payments/redirect/invoices/${inv}`, { expectedAmountMinor: 1_000 }), 409, "INVOICE_NOT_UNPAID");
  });

  it("a total changed while a page was open: the old page is withdrawn before a new one is made", async () => {
    const { org, call } = await adpayPayer(world.admin.id);
    const inv = await issuedInvoice(org.id, 1_000);
    const first = await startPay(call, inv, 1_000);
    // Part of it paid another way (e.g. offline) meanwhile.
    await db().update(invoices).set({ amountPaidMinor: 400 }).where(eq(invoices.id, inv));
    const second = await startPay(call, inv, 600);
    expect(second.body).toMatchObject({ status: "redirect", amountMinor: 600 });
    const rows = await db().select().from(payments).where(eq(payments.orgId, org.id));
    expect(rows.map((r) => [r.status, r.amountMinor, r.declineCode]).sort()).toEqual([["failed", 1_000, "cancelled_by_merchant"], ["pending", 600, null]]);
    expect(await payOnPage(first.body.url!)).toBeNull();
  });

  it("ADPAY's answer lost after it made the payment: the next Pay now finds the same payment, never a second one", async () => {
    const { org, call } = await adpayPayer(world.admin.id);
    const inv = await issuedInvoice(org.id, 1_300);
    await control("/__control/faults", { dropAfterCommit: 1, match: inv });
    await expectError(await call("POST", `/api/payments/redirect/invoices/${inv}`, { expectedAmountMinor: 1_300 }), 409, "PAYMENTS_UNAVAILABLE");
    const again = await startPay(call, inv, 1_300);
    expect(again.body.status).toBe("redirect");
    const list = (await (await adpay("GET", `/adpay/v1/payments?order_ref=${encodeURIComponent(`adpay:${inv}:1`)}`)).json()) as { data: unknown[] };
    expect(list.data).toHaveLength(1);
    expect((await db().select().from(payments).where(eq(payments.orgId, org.id))).map((r) => r.idempotencyKey)).toEqual([`adpay:${inv}:1`]);
  });
});
