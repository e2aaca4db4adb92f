/**
 * Payment Intent webhooks applied by collection (docs/decisions/019-collection.md, "3-D Secure and the gateway's
 * word"): signed events from the local Stripe, delivered twice and in any order, converge to the same rows as the
 * charge's own answer or the browser's Complete authentication, whichever comes first.
 */
import { eq } from "drizzle-orm";
import Stripe from "stripe";
import { describe, expect, it } from "vitest";
import { cardDeclines, payments } from "../../../worker/db/schema";
import { chargeInvoice } from "../../../worker/domain/collection/charge";
import { fixedClock } from "../../../worker/integrations/clock";
import { testNow } from "../../clock";
import { balances, gatewayCharges, invoiceRow, issuedInvoice, payerWithSavedCard } from "../../collection-fixtures";
import { testCtx } from "../../context";
import { db } from "../../factories";
import { callerAs, testClient } from "../../helpers";
import { deliver, deliverAll, eventsOf } from "../../stripe-events";
import { control, LOCAL_STRIPE_KEYS, stripeClient } from "../../local-stripe";

const charge = (invoiceId: string) => chargeInvoice({ ctx: testCtx({ clock: fixedClock(testNow()) }), input: { invoiceId, initiatedBy: "auto" } });
const paymentsOf = (orgId: string) => db().select().from(payments).where(eq(payments.orgId, orgId));

/** A worker that died after the gateway charged: our attempt stays pending, without a gateway id (as in charge.test.ts). */
async function lostAnswer(number: string, amount: number) {
  const p = await payerWithSavedCard(number);
  const inv = await issuedInvoice(p.org.id, amount);
  await control("/__control/faults", { fail500: 5, match: inv });
  try {
    await expect(charge(inv)).rejects.toMatchObject({ code: "PAYMENTS_UNAVAILABLE" });
  } finally {
    await control("/__control/faults", {});
  }
  const [pending] = await paymentsOf(p.org.id);
  // What the lost worker had sent, committed at the gateway (a decline answers with an error: the intent exists).
  await stripeClient().paymentIntents.create({ amount, currency: "eur", customer: p.card.gatewayCustomerId, payment_method: p.card.gatewayPaymentMethodId, confirm: true, off_session: true,
    metadata: { org_id: p.org.id, invoice_id: inv, invoice_number: (await invoiceRow(inv)).number!, payment_id: pending!.id } }, { idempotencyKey: pending!.idempotencyKey }).catch(() => undefined);
  const [pi] = await gatewayCharges(p.org.id);
  expect((await paymentsOf(p.org.id)).map((x) => [x.status, x.gatewayPaymentId])).toEqual([["pending", null]]);
  return { ...p, inv, pi: pi! };
}

describe("Payment Intent webhooks", () => {
  it("payment_intent.succeeded settles an attempt whose answer was lost; replays change nothing and nothing is charged again", async () => {
    const { org, inv, pi } = await lostAnswer("4242424242424242", 4_400);
    const events = await eventsOf(pi.id, "payment_intent.succeeded");
    await deliverAll([...events, ...events]);
    expect((await invoiceRow(inv)).status).toBe("paid");
    await expect(charge(inv)).rejects.toMatchObject({ code: "INVOICE_NOT_UNPAID" }); // nothing left to charge
    expect((await paymentsOf(org.id)).map((x) => [x.status, x.gatewayPaymentId])).toEqual([["succeeded", pi.id]]);
    expect(await balances(org.id)).toMatchObject({ receivable: 0, cash: 4_400 });
  });

  it("payment_intent.payment_failed records the decline reason and counts it against the card once", async () => {
    const { org, inv, pi, card } = await lostAnswer("4000000000000341", 1_800);
    const events = await eventsOf(pi.id, "payment_intent.payment_failed");
    expect(events.length).toBeGreaterThan(0);
    await deliverAll([...events, ...events]);
    expect((await paymentsOf(org.id)).map((x) => [x.status, x.declineCode, x.gatewayPaymentId])).toEqual([["failed", "generic_decline", pi.id]]);
    expect((await invoiceRow(inv)).paymentState).toBe("failed");
    expect((await db().select().from(cardDeclines).where(eq(cardDeclines.fingerprint, card.fingerprint)).get())?.count).toBe(1);
  });

  it("the browser and the webhook race on a completed 3-D Secure: the money lands once, whichever comes first", async () => {
    const p = await payerWithSavedCard("4000002760003184");
    const inv = await issuedInvoice(p.org.id, 2_600);
    expect(await charge(inv)).toMatchObject({ status: "requires_action" });
    const call = await callerAs(p.user.id);
    await call("POST", `/api/invoices/${inv}/pay/authentication`);
    const [pi] = await gatewayCharges(p.org.id);
    await control("/__control/complete_action", { intent: pi!.id, outcome: "succeed" });
    // The webhook first (out of order with the older requires_action/payment_failed events), then the browser.
    await deliverAll([...(await eventsOf(pi!.id)).reverse()]);
    expect((await invoiceRow(inv)).status).toBe("paid");
    expect(await (await call("POST", `/api/invoices/${inv}/pay/authentication/complete`)).json()).toMatchObject({ status: "paid" });
    expect((await paymentsOf(p.org.id)).map((x) => [x.status, x.gatewayPaymentId])).toEqual([["succeeded", pi!.id]]);
    expect(await balances(p.org.id)).toMatchObject({ receivable: 0, cash: 2_600 });
  });

  it("payment_intent.canceled closes a waiting attempt; a tampered delivery is refused and changes nothing", async () => {
    const p = await payerWithSavedCard("4000002760003184");
    const inv = await issuedInvoice(p.org.id, 700);
    await charge(inv);
    const [pi] = await gatewayCharges(p.org.id);
    await stripeClient().paymentIntents.cancel(pi!.id);
    const [canceled] = await eventsOf(pi!.id, "payment_intent.canceled");
    const tampered = { ...canceled!, data: { object: { ...canceled!.data.object, id: "pi_someone_else" } } } as Stripe.Event;
    const payload = JSON.stringify(tampered);
    const header = await Stripe.webhooks.generateTestHeaderStringAsync({ payload: JSON.stringify(canceled), secret: LOCAL_STRIPE_KEYS.webhookSecret, cryptoProvider: Stripe.createSubtleCryptoProvider() });
    const res = await testClient().request("POST", "/api/webhooks/stripe", { rawBody: payload, headers: { "stripe-signature": header, origin: "https://stripe.com" } });
    expect(res.status).toBe(400);
    expect((await paymentsOf(p.org.id)).map((x) => x.status)).toEqual(["requires_action"]);
    await deliverAll([canceled!, canceled!]);
    expect((await paymentsOf(p.org.id)).map((x) => [x.status, x.declineCode])).toEqual([["failed", "canceled"]]);
    expect((await invoiceRow(inv)).status).toBe("unpaid");
  });
});
