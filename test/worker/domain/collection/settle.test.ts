import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { invoices, paymentAllocations, payments } from "../../../../worker/db/schema";
import { settleInvoices } from "../../../../worker/domain/collection/settle";
import { fixedClock } from "../../../../worker/integrations/clock";
import { testNow } from "../../../clock";
import { balances, invoiceRow, issuedInvoice, outboxEvents, payer, topUp } from "../../../collection-fixtures";
import { testCtx } from "../../../context";
import { db } from "../../../factories";
import { expectAudit } from "../../../helpers";

const ctx = () => testCtx({ clock: fixedClock(testNow()) });
const card = (orgId: string, amountMinor: number, extra: Record<string, unknown> = {}) => ({
  orgId, channel: "card" as const, gateway: "stripe", gatewayPaymentId: `pi_${crypto.randomUUID().slice(0, 12)}`, idempotencyKey: `pi:${crypto.randomUUID()}`,
  amountMinor, currency: "EUR", initiatedBy: "auto" as const, methodLabel: "VISA •••• 4242", ...extra,
});
const paymentsOf = (orgId: string) => db().select().from(payments).where(eq(payments.orgId, orgId));

describe("settleInvoices", () => {
  it("pays an invoice: invoice paid, allocation, ledger cash in / receivable down, audit, the payment-received email", async () => {
    const { org } = await payer();
    const inv = await issuedInvoice(org.id, 12_100);
    const c = ctx();
    const result = await settleInvoices({ ctx: c, input: card(org.id, 12_100, { allocations: [{ invoiceId: inv, amountMinor: 12_100 }] }) });
    expect(result).toMatchObject({ replay: false, allocations: [{ invoiceId: inv, amountMinor: 12_100 }], surplusMinor: 0 });
    const row = await invoiceRow(inv);
    expect([row.status, row.amountPaidMinor, row.paidAt]).toEqual(["paid", 12_100, c.clock.now()]);
    expect(await balances(org.id)).toMatchObject({ receivable: 0, cash: 12_100 });
    const [p] = await paymentsOf(org.id);
    expect(p).toMatchObject({ status: "succeeded", channel: "card", amountMinor: 12_100, initiatedBy: "auto" });
    await expectAudit({ action: "payment.succeeded", targetId: result.paymentId });
    expect(await outboxEvents(org.id)).toEqual(["payment.succeeded"]);
    expect(c.sent).toHaveLength(1);
  });

  it("is idempotent on the gateway payment id: a replay writes nothing and returns the same result", async () => {
    const { org } = await payer();
    const inv = await issuedInvoice(org.id, 5_000);
    const input = card(org.id, 5_000);
    const first = await settleInvoices({ ctx: ctx(), input });
    const again = await settleInvoices({ ctx: ctx(), input: { ...input, idempotencyKey: "pi:other-key" } });
    expect(again).toEqual({ ...first, replay: true });
    expect(await paymentsOf(org.id)).toHaveLength(1);
    expect(await balances(org.id)).toMatchObject({ receivable: 0, cash: 5_000 });
    expect(await outboxEvents(org.id)).toEqual(["payment.succeeded"]);
    await expectAudit({ action: "payment.succeeded", orgId: org.id });
    expect((await invoiceRow(inv)).amountPaidMinor).toBe(5_000);
  });

  it("without allocations pays the oldest unpaid invoice first and part-pays the next (Pay all)", async () => {
    const { org } = await payer();
    const newer = await issuedInvoice(org.id, 3_000, 1);
    const older = await issuedInvoice(org.id, 2_000, 10);
    const result = await settleInvoices({ ctx: ctx(), input: card(org.id, 3_500) });
    expect(result.allocations).toEqual([{ invoiceId: older, amountMinor: 2_000 }, { invoiceId: newer, amountMinor: 1_500 }]);
    expect((await invoiceRow(older)).status).toBe("paid");
    const part = await invoiceRow(newer);
    expect([part.status, part.amountPaidMinor]).toEqual(["unpaid", 1_500]);
    const shares = await db().select().from(paymentAllocations).where(eq(paymentAllocations.paymentId, result.paymentId));
    expect(shares.map((s) => s.amountMinor).sort()).toEqual([1_500, 2_000]);
  });

  it("card money for an invoice already paid is not lost: it becomes paid credit in the wallet", async () => {
    const { org } = await payer();
    const inv = await issuedInvoice(org.id, 4_000);
    await settleInvoices({ ctx: ctx(), input: card(org.id, 4_000, { allocations: [{ invoiceId: inv, amountMinor: 4_000 }] }) });
    const late = await settleInvoices({ ctx: ctx(), input: card(org.id, 4_000, { allocations: [{ invoiceId: inv, amountMinor: 4_000 }] }) });
    expect(late).toMatchObject({ replay: false, allocations: [], surplusMinor: 4_000 });
    expect(await balances(org.id)).toMatchObject({ receivable: 0, cash: 8_000, wallet_paid: -4_000 });
  });

  it("the wallet pays an unpaid invoice and refuses a paid or cancelled one (nothing written)", async () => {
    const { org } = await payer();
    await topUp(org.id, 10_000);
    const inv = await issuedInvoice(org.id, 6_000);
    const wallet = (invoiceId: string) => ({
      orgId: org.id, channel: "wallet" as const, idempotencyKey: `wallet:${invoiceId}:${crypto.randomUUID()}`, amountMinor: 6_000, currency: "EUR",
      initiatedBy: "auto" as const, allocations: [{ invoiceId, amountMinor: 6_000 }], wallet: { fromGrants: [], fromPaidMinor: 6_000 },
    });
    await settleInvoices({ ctx: ctx(), input: wallet(inv) });
    expect((await invoiceRow(inv)).status).toBe("paid");
    expect(await balances(org.id)).toMatchObject({ receivable: 0, wallet_paid: -4_000 });
    await expect(settleInvoices({ ctx: ctx(), input: wallet(inv) })).rejects.toMatchObject({ code: "INVOICE_NOT_UNPAID" });
    const cancelled = await issuedInvoice(org.id, 6_000);
    await db().update(invoices).set({ status: "cancelled" }).where(eq(invoices.id, cancelled));
    await expect(settleInvoices({ ctx: ctx(), input: wallet(cancelled) })).rejects.toMatchObject({ code: "INVOICE_NOT_UNPAID", message: expect.stringContaining("cancelled") });
    expect(await paymentsOf(org.id)).toHaveLength(1);
    expect(await balances(org.id)).toMatchObject({ wallet_paid: -4_000 });
  });

  it("the wallet cannot pay with credit it no longer has (the batch's guard)", async () => {
    const { org } = await payer();
    await topUp(org.id, 1_000);
    const inv = await issuedInvoice(org.id, 2_000);
    const input = { orgId: org.id, channel: "wallet" as const, idempotencyKey: `wallet:${inv}:1`, amountMinor: 2_000, currency: "EUR", initiatedBy: "auto" as const, allocations: [{ invoiceId: inv, amountMinor: 2_000 }], wallet: { fromGrants: [], fromPaidMinor: 2_000 } };
    await expect(settleInvoices({ ctx: ctx(), input })).rejects.toMatchObject({ code: "CONFLICT" });
    expect((await invoiceRow(inv)).status).toBe("unpaid");
    expect(await paymentsOf(org.id)).toHaveLength(0);
  });

  it("another organization's invoice is NOT_FOUND and nothing is written", async () => {
    const { org } = await payer();
    const other = await payer();
    const theirs = await issuedInvoice(other.org.id, 1_000);
    await expect(settleInvoices({ ctx: ctx(), input: card(org.id, 1_000, { allocations: [{ invoiceId: theirs, amountMinor: 1_000 }] }) })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect((await invoiceRow(theirs)).status).toBe("unpaid");
    expect(await paymentsOf(org.id)).toHaveLength(0);
    expect(await outboxEvents(other.org.id)).toEqual([]);
  });

  it("a pending payment row (the charge's) becomes succeeded instead of a second row", async () => {
    const { org } = await payer();
    const inv = await issuedInvoice(org.id, 700);
    const input = card(org.id, 700, { allocations: [{ invoiceId: inv, amountMinor: 700 }] });
    const now = testNow();
    await db().insert(payments).values({ id: "pay_pending_" + crypto.randomUUID().slice(0, 8), orgId: org.id, channel: "card", gateway: "stripe", idempotencyKey: input.idempotencyKey, amountMinor: 700, currency: "EUR", status: "pending", initiatedBy: "auto", createdAt: now, updatedAt: now });
    await settleInvoices({ ctx: ctx(), input });
    const rows = await paymentsOf(org.id);
    expect(rows.map((r) => [r.status, r.gatewayPaymentId])).toEqual([["succeeded", input.gatewayPaymentId]]);
  });
});
