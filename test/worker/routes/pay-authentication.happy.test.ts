import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { cardDeclines, payments } from "../../../worker/db/schema";
import { chargeInvoice } from "../../../worker/domain/collection/charge";
import { fixedClock } from "../../../worker/integrations/clock";
import { testNow } from "../../clock";
import { balances, gatewayCharges, invoiceRow, issuedInvoice, payerWithSavedCard } from "../../collection-fixtures";
import { testCtx } from "../../context";
import { db } from "../../factories";
import { callerAs } from "../../helpers";
import { control } from "../../local-stripe";

const THREE_DS = "4000002760003184"; // always asks for 3-D Secure: off-session it is declined with authentication_required
const paymentsOf = (orgId: string) => db().select().from(payments).where(eq(payments.orgId, orgId)).orderBy(payments.createdAt, payments.id);

/** Auto Payment charged the invoice off-session and the bank asked for 3-D Secure: the customer was emailed a link. */
async function waitingInvoice(amount = 3_300) {
  const p = await payerWithSavedCard(THREE_DS);
  const inv = await issuedInvoice(p.org.id, amount);
  expect(await chargeInvoice({ ctx: testCtx({ clock: fixedClock(testNow()) }), input: { invoiceId: inv, initiatedBy: "auto" } })).toMatchObject({ status: "requires_action" });
  return { ...p, inv, call: await callerAs(p.user.id) };
}

describe("Complete authentication (3-D Secure asked off-session)", () => {
  it("continues the same PaymentIntent with the customer present; the money lands once, whatever is called again", async () => {
    const { org, inv, call, card } = await waitingInvoice();
    const [pi] = await gatewayCharges(org.id);
    const start = await call("POST", `/api/invoices/${inv}/pay/authentication`);
    expect(start.status, await start.clone().text()).toBe(200);
    const step = await start.json() as { status: string; clientSecret: string };
    expect(step).toMatchObject({ status: "requires_action", invoiceStatus: "unpaid" });
    expect(step.clientSecret.startsWith(`${pi!.id}_secret_`)).toBe(true);
    // Stripe.js handleNextAction: the customer answers the bank's challenge.
    await control("/__control/complete_action", { intent: pi!.id, outcome: "succeed" });
    const done = await call("POST", `/api/invoices/${inv}/pay/authentication/complete`);
    expect(await done.json()).toMatchObject({ status: "paid", invoiceStatus: "paid", amountPaidMinor: 3_300 });
    // Replays (a double click, the webhook) change nothing.
    expect(await (await call("POST", `/api/invoices/${inv}/pay/authentication/complete`)).json()).toMatchObject({ status: "paid" });
    expect(await (await call("POST", `/api/invoices/${inv}/pay/authentication`)).json()).toMatchObject({ status: "paid" });
    expect((await gatewayCharges(org.id)).map((x) => [x.id, x.status])).toEqual([[pi!.id, "succeeded"]]);
    expect((await paymentsOf(org.id)).map((x) => [x.status, x.gatewayPaymentId, x.amountMinor])).toEqual([["succeeded", pi!.id, 3_300]]);
    expect(await balances(org.id)).toMatchObject({ receivable: 0, cash: 3_300 });
    expect((await db().select().from(cardDeclines).where(eq(cardDeclines.fingerprint, card.fingerprint)).get())?.count ?? 0).toBe(0);
  });

  it("a failed authentication keeps the reason, cancels the PaymentIntent, counts nothing against the card and frees the invoice", async () => {
    const { org, inv, call, card } = await waitingInvoice(2_000);
    const [pi] = await gatewayCharges(org.id);
    expect((await (await call("POST", `/api/invoices/${inv}/pay/authentication`)).json())).toMatchObject({ status: "requires_action" });
    await control("/__control/complete_action", { intent: pi!.id, outcome: "fail" });
    const done = await (await call("POST", `/api/invoices/${inv}/pay/authentication/complete`)).json();
    expect(done).toMatchObject({ status: "closed", invoiceStatus: "unpaid" });
    const [row] = await paymentsOf(org.id);
    expect([row!.status, row!.declineCode]).toEqual(["failed", "payment_intent_authentication_failure"]);
    expect((await gatewayCharges(org.id))[0]!.status).toBe("canceled");
    expect((await db().select().from(cardDeclines).where(eq(cardDeclines.fingerprint, card.fingerprint)).get())?.count ?? 0).toBe(0);
    expect((await invoiceRow(inv)).paymentState).toBe("failed");
    // A new attempt may start: Pay now with the card on file asks for 3-D Secure again, on a new PaymentIntent.
    const again = await call("POST", `/api/invoices/${inv}/pay`, {});
    expect(await again.json()).toMatchObject({ status: "requires_action" });
    expect((await paymentsOf(org.id)).map((x) => [x.idempotencyKey, x.status])).toEqual([[`pi:${inv}:1`, "failed"], [`pi:${inv}:2`, "requires_action"]]);
  });

  it("an abandoned authentication (the window closed) is cancelled at the gateway and recorded as such", async () => {
    const { org, inv, call } = await waitingInvoice(1_500);
    await call("POST", `/api/invoices/${inv}/pay/authentication`);
    const done = await (await call("POST", `/api/invoices/${inv}/pay/authentication/complete`)).json();
    expect(done).toMatchObject({ status: "closed", invoiceStatus: "unpaid" });
    expect((await paymentsOf(org.id)).map((x) => [x.status, x.declineCode])).toEqual([["failed", "authentication_abandoned"]]);
    expect((await gatewayCharges(org.id))[0]!.status).toBe("canceled");
  });

  it("Pay now on a waiting invoice supersedes the waiting PaymentIntent (cancelled first) instead of being refused", async () => {
    const { org, inv, call } = await waitingInvoice(2_200);
    const res = await call("POST", `/api/invoices/${inv}/pay`, {});
    expect(res.status, await res.clone().text()).toBe(200);
    expect(await res.json()).toMatchObject({ status: "requires_action" });
    const pis = await gatewayCharges(org.id);
    expect(pis.map((x) => x.status).sort()).toEqual(["canceled", "requires_action"]);
    expect((await paymentsOf(org.id)).map((x) => [x.status, x.declineCode])).toEqual([["failed", "superseded"], ["requires_action", "authentication_required"]]);
  });
});
