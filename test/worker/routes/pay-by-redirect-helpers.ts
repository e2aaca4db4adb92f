/** Pay by redirect (ADPAY) test helpers: the gateway enabled, the payer on the sandbox's hosted page, signed returns and callbacks. */
import type { HostedPaymentResult, HostedPaymentStart, HostedReturnInput } from "../../../worker/contract/hosted-pay";
import { payer } from "../../collection-fixtures";
import { callbackSignature, type AdpayEvent } from "../../fakes/adpay/protocol";
import { testClient } from "../../helpers";
import { control, LOCAL_ADPAY_CREDENTIALS } from "../../local-stripe";
import { as, type Call } from "./payment-helpers";

/** ADPAY enabled and verified against the sandbox by this admin. */
export async function enableAdpay(adminId: string): Promise<void> {
  const res = await (await as(adminId))("PUT", "/api/billing/payment-gateways/adpay", { enabled: true, merchantId: LOCAL_ADPAY_CREDENTIALS.merchantId, apiKey: LOCAL_ADPAY_CREDENTIALS.apiKey, secret: LOCAL_ADPAY_CREDENTIALS.secret });
  const body = (await res.json()) as { verified: boolean; message: string };
  if (!body.verified) throw new Error(`ADPAY not verified: ${body.message}`);
}

/** ADPAY enabled by this admin, and a new customer organization (a payer) signed in as its user. */
export async function adpayPayer(adminId: string) {
  await enableAdpay(adminId);
  const { org, user } = await payer();
  return { org, user, call: await as(user.id) };
}

export async function startPay(call: Call, invoiceId: string, expectedAmountMinor: number): Promise<{ res: Response; body: HostedPaymentStart & { error?: { code: string } } }> {
  const res = await call("POST", `/api/payments/redirect/invoices/${invoiceId}`, { expectedAmountMinor });
  return { res, body: (await res.clone().json()) as HostedPaymentStart & { error?: { code: string } } };
}

const redirectOf = (res: Response): string => {
  if (res.status !== 303) throw new Error(`the hosted page answered ${res.status}, not a redirect`);
  return res.headers.get("location")!;
};

/** The payer types a test card on the hosted page; returns the signed return URL (or null when the page asks again). */
export async function payOnPage(url: string, number = "4242424242424242"): Promise<string | null> {
  const form = new URLSearchParams({ name: "Ada Lovelace", number, expiry: "12/40", cvc: "123" });
  const res = await fetch(url, { method: "POST", body: form, headers: { "content-type": "application/x-www-form-urlencoded" }, redirect: "manual" });
  return res.status === 303 ? redirectOf(res) : null;
}

/** The payer presses Cancel on the hosted page. */
export async function cancelOnPage(url: string): Promise<string> {
  return redirectOf(await fetch(`${url}/cancel`, { method: "POST", body: "", headers: { "content-type": "application/x-www-form-urlencoded" }, redirect: "manual" }));
}

/** The return redirect's signed query, as the portal sends it on. */
export function returnInput(location: string): HostedReturnInput {
  const q = new URL(location).searchParams;
  const get = (k: string) => q.get(k) ?? "";
  return { payment_id: get("payment_id"), order_ref: get("order_ref"), status: get("status"), amount: get("amount"), currency: get("currency"), ts: get("ts"), signature: get("signature") };
}

export async function confirmReturn(call: Call, input: HostedReturnInput): Promise<{ res: Response; body: HostedPaymentResult & { error?: { code: string } } }> {
  const res = await call("POST", "/api/payments/redirect/return", input);
  return { res, body: (await res.clone().json()) as HostedPaymentResult & { error?: { code: string } } };
}

/** The sandbox's callback events of a payment (newest first). */
export async function eventsOf(paymentId: string): Promise<AdpayEvent[]> {
  return (await control<AdpayEvent[]>("/__control/adpay/events")).filter((e) => e.payment.payment_id === paymentId);
}

/** Delivers a callback body to our endpoint as ADPAY does (signed with `secret`, at `ts`). */
export async function deliverCallback(body: string, secret: string = LOCAL_ADPAY_CREDENTIALS.secret, ts?: number, eventId = "adpevt_test"): Promise<Response> {
  return testClient().request("POST", "/api/webhooks/adpay", { rawBody: body, headers: { "adpay-signature": await callbackSignature(secret, body, ts), "adpay-event-id": eventId, origin: "https://adpay.example" } });
}
