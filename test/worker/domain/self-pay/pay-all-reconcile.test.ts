/**
 * A Pay all charge left without an answer (ADR 019b): the cron sweep replays it with its own key once it has been
 * quiet for 2 minutes, and its Payment Intent webhook is applied like a single invoice's — the money lands once,
 * with the planned shares, whichever comes first.
 */
import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { paymentAllocations, payments } from "../../../../worker/db/schema";
import { sweepPendingPayAll } from "../../../../worker/domain/self-pay/pay-all-reconcile";
import { fixedClock } from "../../../../worker/integrations/clock";
import { testNow } from "../../../clock";
import { balances, gatewayCharges, invoiceRow, issuedInvoice, payerWithCard } from "../../../collection-fixtures";
import { testCtx } from "../../../context";
import { db } from "../../../factories";
import { expectError } from "../../../helpers";
import { control, stripeClient } from "../../../local-stripe";
import { deliverAll, eventsOf } from "../../../stripe-events";

afterEach(async () => void (await control("/__control/faults", {})));

const sweepAt = (ms: number) => sweepPendingPayAll(testCtx({ clock: fixedClock(ms) }));
const paymentsOf = (orgId: string) => db().select().from(payments).where(eq(payments.orgId, orgId));

/** Pay all whose answer was lost after the gateway charged: our row stays pending, without a gateway id. */
async function lostPayAll(number = "4242424242424242") {
  const p = await payerWithCard(number);
  const a = await issuedInvoice(p.org.id, 2_200, 4);
  const b = await issuedInvoice(p.org.id, 1_100, 2);
  await control("/__control/faults", { fail500: 5, match: p.org.id });
  await expectError(await p.call("POST", "/api/invoices/pay-all", { expectedTotalMinor: 3_300 }), 409, "PAYMENTS_UNAVAILABLE");
  await control("/__control/faults", {});
  const [pending] = await paymentsOf(p.org.id);
  expect(pending).toMatchObject({ status: "pending", gatewayPaymentId: null, amountMinor: 3_300 });
  return { ...p, a, b, pending: pending! };
}

/** What the lost worker had sent, committed at the gateway under the row's key (as in payment-intent-webhooks.test.ts). */
async function commitAtGateway(x: Awaited<ReturnType<typeof lostPayAll>>) {
  await stripeClient().paymentIntents.create({ amount: 3_300, currency: "eur", customer: x.card.gatewayCustomerId, payment_method: x.card.gatewayPaymentMethodId, confirm: true,
    metadata: { org_id: x.org.id, payment_id: x.pending.id, purpose: "pay_all" } }, { idempotencyKey: x.pending.idempotencyKey });
  const [pi] = await gatewayCharges(x.org.id);
  return pi!;
}

async function expectPaidOnce(org: { id: string }, a: string, b: string) {
  const charges = await gatewayCharges(org.id);
  expect(charges.map((c) => [c.status, c.amount])).toEqual([["succeeded", 3_300]]);
  expect([(await invoiceRow(a)).status, (await invoiceRow(b)).status]).toEqual(["paid", "paid"]);
  const [row] = await paymentsOf(org.id);
  expect(row).toMatchObject({ status: "succeeded", gatewayPaymentId: charges[0]!.id });
  const shares = await db().select().from(paymentAllocations).where(eq(paymentAllocations.paymentId, row!.id));
  expect(shares.map((s) => [s.invoiceId, s.amountMinor]).sort()).toEqual([[a, 2_200], [b, 1_100]].sort());
  expect(await balances(org.id)).toMatchObject({ receivable: 0, cash: 3_300 });
}

describe("Pay all charges without an answer", () => {
  it("the sweep leaves a fresh one alone, then replays it with its key: one charge, both invoices paid with their shares", async () => {
    const { org, a, b } = await lostPayAll();
    expect(await sweepAt(testNow())).toEqual({ checked: 0, failed: 0 });
    expect(await sweepAt(testNow() + 3 * 60_000)).toEqual({ checked: 1, failed: 0 });
    await expectPaidOnce(org, a, b);
    expect(await sweepAt(testNow() + 6 * 60_000)).toEqual({ checked: 0, failed: 0 });
  });

  it("a gateway still failing keeps it pending and sends it to the back of the queue", async () => {
    const { org, pending } = await lostPayAll();
    const at = testNow() + 3 * 60_000;
    await control("/__control/faults", { fail500: 10, match: org.id });
    expect(await sweepAt(at)).toEqual({ checked: 1, failed: 1 });
    expect((await paymentsOf(org.id))[0]).toMatchObject({ id: pending.id, status: "pending", updatedAt: at });
  });

  it("payment_intent.succeeded settles it (found by the payment id in its metadata); replays change nothing", async () => {
    const lost = await lostPayAll();
    const { org, a, b } = lost;
    const pi = await commitAtGateway(lost);
    const events = await eventsOf(pi.id, "payment_intent.succeeded");
    expect(events.length).toBeGreaterThan(0);
    await deliverAll([...events, ...events]);
    await expectPaidOnce(org, a, b);
    expect(await sweepAt(testNow() + 3 * 60_000)).toEqual({ checked: 0, failed: 0 });
  });
});
