/** Pay now with a new card, driven as the portal and Stripe.js do it (worker/domain/self-pay/pay-new-card.ts). */
import { eq } from "drizzle-orm";
import { expect } from "vitest";
import { payments } from "../../../worker/db/schema";
import { issuedInvoice, payer } from "../../collection-fixtures";
import { createOrg, createUser, db } from "../../factories";
import { callerAs, type Call } from "../../helpers";
import { LOCAL_STRIPE_KEYS, localStripeUrl } from "../../local-stripe";
import { enableStripe, typedCard } from "./payment-helpers";

export interface NewCardStart { status: "paid" | "confirm"; paymentId: string | null; clientSecret?: string; walletMinor: number; cardMinor: number }
export interface Step { status: string; message?: string; invoiceStatus: string; amountPaidMinor: number }

/** Stripe on, and a customer with NO card on file and one unpaid invoice of `amount`. */
export async function payerWithoutCard(amount: number) {
  const operator = await createOrg({ kind: "operator" });
  const admin = await createUser({ orgId: operator.id, role: "cloud_admin" });
  await enableStripe(admin.id);
  const p = await payer();
  const inv = await issuedInvoice(p.org.id, amount);
  return { ...p, admin, inv, call: await callerAs(p.user.id) };
}

export async function start(call: Call, inv: string, body: unknown): Promise<NewCardStart> {
  const res = await call("POST", `/api/invoices/${inv}/pay/new-card`, body);
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as NewCardStart;
}

export async function complete(call: Call, inv: string, paymentId: string): Promise<Step> {
  const res = await call("POST", `/api/invoices/${inv}/pay/new-card/complete`, { paymentId });
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as Step;
}

/** Stripe.js `confirmCardPayment(clientSecret, { payment_method: { card } })`: the card goes to Stripe, never to us. */
export async function confirmInBrowser(clientSecret: string, number: string): Promise<{ status?: string; error?: { code?: string } }> {
  const pm = await typedCard(number);
  const id = clientSecret.split("_secret_")[0]!;
  const res = await fetch(`${localStripeUrl()}/v1/payment_intents/${id}/confirm`, {
    method: "POST",
    headers: { authorization: `Bearer ${LOCAL_STRIPE_KEYS.publishableKey}`, "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ client_secret: clientSecret, payment_method: pm }),
  });
  return (await res.json()) as { status?: string; error?: { code?: string } };
}

export const paymentsOf = (orgId: string) => db().select().from(payments).where(eq(payments.orgId, orgId)).orderBy(payments.createdAt, payments.id);
