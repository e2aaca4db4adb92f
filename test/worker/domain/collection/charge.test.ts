import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { cardDeclines, invoiceCollections, payments } from "../../../../worker/db/schema";
import { chargeInvoice } from "../../../../worker/domain/collection/charge";
import { fixedClock } from "../../../../worker/integrations/clock";
import { testNow } from "../../../clock";
import { balances, gatewayCharges, invoiceRow, issuedInvoice, outboxEvents, payer, payerWithCard, payerWithSavedCard, topUp } from "../../../collection-fixtures";
import { testCtx } from "../../../context";
import { db } from "../../../factories";
import { expectAudit } from "../../../helpers";
import { control, stripeClient } from "../../../local-stripe";

const DAY = 86_400_000;
const ctx = () => testCtx({ clock: fixedClock(testNow()) });
const charge = (invoiceId: string, initiatedBy: "auto" | "capture" | "retry" = "auto") => chargeInvoice({ ctx: ctx(), input: { invoiceId, initiatedBy } });
const paymentsOf = (orgId: string) => db().select().from(payments).where(eq(payments.orgId, orgId));
afterEach(async () => void (await control("/__control/faults", {})));

describe("chargeInvoice", () => {
  it("charges the card off-session once and settles the invoice", async () => {
    const { org } = await payerWithCard();
    const inv = await issuedInvoice(org.id, 12_100);
    const result = await charge(inv);
    expect(result).toMatchObject({ status: "paid", walletMinor: 0, cardMinor: 12_100 });
    expect((await invoiceRow(inv)).status).toBe("paid");
    const pis = await gatewayCharges(org.id);
    expect(pis.map((p) => [p.status, p.amount, p.metadata.invoice_id])).toEqual([["succeeded", 12_100, inv]]);
    const [p] = await paymentsOf(org.id);
    expect(p).toMatchObject({ status: "succeeded", gatewayPaymentId: pis[0]!.id, idempotencyKey: `pi:${inv}:1`, channel: "card" });
    expect(await balances(org.id)).toMatchObject({ receivable: 0, cash: 12_100 });
  });

  it("the wallet pays first; only the remainder goes to the card", async () => {
    const { org } = await payerWithSavedCard("4242424242424242");
    await topUp(org.id, 3_000);
    const inv = await issuedInvoice(org.id, 5_000);
    expect(await charge(inv)).toMatchObject({ status: "paid", walletMinor: 3_000, cardMinor: 2_000 });
    expect((await gatewayCharges(org.id)).map((p) => p.amount)).toEqual([2_000]);
    expect((await paymentsOf(org.id)).map((p) => [p.channel, p.amountMinor]).sort()).toEqual([["card", 2_000], ["wallet", 3_000]]);
    expect(await balances(org.id)).toMatchObject({ receivable: 0, wallet_paid: 0 });
  });

  it("a wallet that covers the invoice pays it without a card", async () => {
    const { org } = await payer();
    await topUp(org.id, 9_000);
    const inv = await issuedInvoice(org.id, 5_000);
    expect(await charge(inv)).toMatchObject({ status: "paid", walletMinor: 5_000, cardMinor: 0, paymentId: null });
    expect((await invoiceRow(inv)).status).toBe("paid");
  });

  it("a decline records the reason, counts against the card, schedules a retry in 1 day and emails payment.failed", async () => {
    const { org, card } = await payerWithSavedCard("4000000000000341");
    const inv = await issuedInvoice(org.id, 4_000);
    const c = ctx();
    const result = await chargeInvoice({ ctx: c, input: { invoiceId: inv, initiatedBy: "auto" } });
    expect(result).toMatchObject({ status: "declined", declineCode: "generic_decline", message: "Your card was declined." });
    const row = await invoiceRow(inv);
    expect([row.status, row.paymentState]).toEqual(["unpaid", "failed"]);
    expect((await paymentsOf(org.id))[0]).toMatchObject({ status: "failed", declineCode: "generic_decline", failureMessage: "Your card was declined." });
    expect((await db().select().from(cardDeclines).where(eq(cardDeclines.fingerprint, card.fingerprint)).get())?.count).toBeGreaterThanOrEqual(1);
    const col = (await db().select().from(invoiceCollections).where(eq(invoiceCollections.invoiceId, inv)).get())!;
    expect([col.attempts, col.nextAttemptAt, col.stoppedReason]).toEqual([1, c.clock.now() + DAY, null]);
    expect(await outboxEvents(org.id)).toContain("payment.failed");
    await expectAudit({ action: "payment.failed", orgId: org.id });
  });

  it("3-D Secure asked off-session leaves the invoice unpaid and emails a link to pay it in the portal", async () => {
    const { org } = await payerWithSavedCard("4000002760003184");
    const inv = await issuedInvoice(org.id, 2_500);
    expect(await charge(inv)).toMatchObject({ status: "requires_action" });
    const row = await invoiceRow(inv);
    expect([row.status, row.paymentState]).toEqual(["unpaid", "action_required"]);
    expect((await paymentsOf(org.id)).map((p) => p.status)).toEqual(["requires_action"]);
    expect(await outboxEvents(org.id)).toEqual(["payment.action_required"]);
    await expect(charge(inv)).rejects.toMatchObject({ code: "PAYMENT_IN_PROGRESS" });
  });

  it("a dropped answer (committed at the gateway) is recovered with the same key: one charge", async () => {
    const { org } = await payerWithSavedCard("4242424242424242");
    const inv = await issuedInvoice(org.id, 6_600);
    await control("/__control/faults", { dropAfterCommit: 1, match: inv });
    expect(await charge(inv)).toMatchObject({ status: "paid" });
    expect((await gatewayCharges(org.id)).map((p) => [p.status, p.amount])).toEqual([["succeeded", 6_600]]);
  });

  it("an attempt left without an answer (429s) is replayed with ITS key on the next run, never a fresh attempt", async () => {
    const { org } = await payerWithSavedCard("4242424242424242");
    const inv = await issuedInvoice(org.id, 7_700);
    await control("/__control/faults", { fail429: 5, match: inv });
    await expect(charge(inv)).rejects.toMatchObject({ code: "PAYMENTS_UNAVAILABLE", rateLimited: true });
    await control("/__control/faults", {});
    expect((await paymentsOf(org.id)).map((p) => [p.status, p.idempotencyKey])).toEqual([["pending", `pi:${inv}:1`]]);
    expect((await invoiceRow(inv)).status).toBe("unpaid");
    expect(await charge(inv, "retry")).toMatchObject({ status: "paid" });
    expect((await gatewayCharges(org.id)).map((p) => [p.status, p.amount])).toEqual([["succeeded", 7_700]]);
    expect((await paymentsOf(org.id)).map((p) => p.status)).toEqual(["succeeded"]);
  });

  it("a worker that died after the gateway charged: the pending attempt replays and settles what the gateway did", async () => {
    const { org, card } = await payerWithSavedCard("4242424242424242");
    const inv = await issuedInvoice(org.id, 3_300);
    await control("/__control/faults", { fail500: 5, match: inv });
    await expect(charge(inv)).rejects.toMatchObject({ code: "PAYMENTS_UNAVAILABLE" });
    await control("/__control/faults", {});
    const [pending] = await paymentsOf(org.id);
    // What the lost worker had sent: the same key and parameters, committed at the gateway.
    await stripeClient().paymentIntents.create({ amount: 3_300, currency: "eur", customer: card.gatewayCustomerId, payment_method: card.gatewayPaymentMethodId, confirm: true, off_session: true,
      metadata: { org_id: org.id, invoice_id: inv, invoice_number: (await invoiceRow(inv)).number!, payment_id: pending!.id } }, { idempotencyKey: pending!.idempotencyKey });
    expect(await charge(inv)).toMatchObject({ status: "paid", paymentId: pending!.id });
    expect(await gatewayCharges(org.id)).toHaveLength(1);
  });

  it("refuses clearly: no card, already paid, cancelled", async () => {
    const { org } = await payer();
    const inv = await issuedInvoice(org.id, 1_000);
    await expect(charge(inv)).rejects.toMatchObject({ code: "NO_CARD" });
    const { org: other } = await payerWithSavedCard("4242424242424242");
    const paid = await issuedInvoice(other.id, 1_000);
    await charge(paid);
    await expect(charge(paid, "capture")).rejects.toMatchObject({ code: "INVOICE_NOT_UNPAID", message: expect.stringContaining("paid") });
    await expect(charge("inv_does_not_exist")).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await gatewayCharges(org.id)).toEqual([]);
  });
});
