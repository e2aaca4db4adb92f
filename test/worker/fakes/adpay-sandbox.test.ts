/**
 * The local ADPAY sandbox (test/fakes/adpay, ADR 016b) from inside workerd: signed and verified API requests,
 * idempotency on the merchant's order reference, the hosted page with Stripe's test cards, the signed return
 * redirect, the signed callback with retries, the status query, and the fault knobs.
 */
import { describe, expect, it } from "vitest";
import { callbackSignature, verifyCallback, verifyReturn, type AdpayEvent, type AdpayPayment } from "../../fakes/adpay/protocol";
import { adpay, control, LOCAL_ADPAY_CREDENTIALS, localStripeUrl, sink } from "../../local-stripe";

const secret = LOCAL_ADPAY_CREDENTIALS.secret;
const orderRef = () => `inv-${crypto.randomUUID()}`;

async function createPayment(extra: Record<string, unknown> = {}) {
  const body = { order_ref: orderRef(), amount: 12_34, currency: "EUR", description: "Invoice", return_url: "https://portal.example.test/billing/return", ...extra };
  const res = await adpay("POST", "/adpay/v1/payments", body);
  return { res, body, payment: (await res.json()) as AdpayPayment };
}

/** The payer's side of the hosted page: a form post, as the browser sends it. */
function pay(p: AdpayPayment, fields: Record<string, string>, path = "") {
  return fetch(`${localStripeUrl()}/adpay/pay/${p.payment_id}${path}`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(fields).toString(),
  });
}
const card = (number: string) => ({ name: "Ada Lovelace", number, expiry: `12/${String((new Date().getUTCFullYear() + 3) % 100).padStart(2, "0")}`, cvc: "123" });
const status = async (id: string) => (await (await adpay("GET", `/adpay/v1/payments/${id}`)).json()) as AdpayPayment;

describe("ADPAY sandbox: credentials and signatures", () => {
  it("verifies credentials with a signed read-only call", async () => {
    const res = await adpay("GET", "/adpay/v1/merchant");
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ merchant_id: LOCAL_ADPAY_CREDENTIALS.merchantId, mode: "test" });
  });

  it("refuses a wrong secret, a wrong key, a live key, a stale timestamp and a tampered body", async () => {
    const codeOf = async (r: Response) => ((await r.json()) as { error: { code: string } }).error.code;
    expect(await codeOf(await adpay("GET", "/adpay/v1/merchant", undefined, { ...LOCAL_ADPAY_CREDENTIALS, secret: "adps_test_wrong" }))).toBe("invalid_signature");
    expect(await codeOf(await adpay("GET", "/adpay/v1/merchant", undefined, { ...LOCAL_ADPAY_CREDENTIALS, apiKey: "adpk_test_other" }))).toBe("invalid_credentials");
    expect(await codeOf(await adpay("GET", "/adpay/v1/merchant", undefined, { ...LOCAL_ADPAY_CREDENTIALS, apiKey: "adpk_live_real" }))).toBe("live_mode_not_available");
    expect(await codeOf(await adpay("GET", "/adpay/v1/merchant", undefined, LOCAL_ADPAY_CREDENTIALS, Math.floor(Date.now() / 1000) - 301))).toBe("stale_request");
    expect(await codeOf(await fetch(`${localStripeUrl()}/adpay/v1/merchant`))).toBe("missing_credentials");
    // Signed for one body, sent with another.
    const { signRequest } = await import("../../fakes/adpay/protocol");
    const headers = await signRequest(LOCAL_ADPAY_CREDENTIALS, "POST", "/adpay/v1/payments", JSON.stringify({ order_ref: "a", amount: 1 }));
    const tampered = await fetch(`${localStripeUrl()}/adpay/v1/payments`, { method: "POST", headers, body: JSON.stringify({ order_ref: "a", amount: 100000 }) });
    expect(tampered.status).toBe(401);
    expect(await codeOf(tampered)).toBe("invalid_signature");
  });

  it("validates a payment request field by field", async () => {
    for (const [field, value] of [["order_ref", "has spaces"], ["amount", 12.5], ["amount", 0], ["currency", "XYZ"], ["return_url", "javascript:alert(1)"], ["callback_url", "not a url"], ["expires_in", 5]] as const) {
      const { res, payment } = await createPayment({ [field]: value });
      expect(res.status, field).toBe(400);
      expect(payment).toMatchObject({ error: { code: "invalid_request", field } });
    }
  });
});

describe("ADPAY sandbox: payments", () => {
  it("is idempotent on order_ref: same request → same payment, other parameters → 409", async () => {
    const { res, body, payment } = await createPayment();
    expect(res.status).toBe(201);
    expect(payment).toMatchObject({ status: "pending", amount: 1234, currency: "EUR", order_ref: body.order_ref, hosted_url: expect.stringMatching(/\/adpay\/pay\/adp_/) });
    const again = await adpay("POST", "/adpay/v1/payments", body);
    expect(again.status).toBe(200);
    expect(again.headers.get("adpay-idempotent-replayed")).toBe("true");
    expect(((await again.json()) as AdpayPayment).payment_id).toBe(payment.payment_id);
    const conflict = await adpay("POST", "/adpay/v1/payments", { ...body, amount: 9999 });
    expect(conflict.status).toBe(409);
    const byRef = (await (await adpay("GET", `/adpay/v1/payments?order_ref=${body.order_ref}`)).json()) as { data: AdpayPayment[] };
    expect(byRef.data.map((p) => p.payment_id)).toEqual([payment.payment_id]);
  });

  it("a successful card: signed redirect back, signed callback, status query agree", async () => {
    const s = sink("adpay-ok");
    const { payment } = await createPayment({ callback_url: s.url });
    const page = await fetch(`${localStripeUrl()}/adpay/pay/${payment.payment_id}`);
    const html = await page.text();
    expect(html).toContain('<label for="number">Card Number</label>');
    expect(html).toContain("12.34 EUR");
    const res = await pay(payment, card("4242424242424242"));
    expect(res.status).toBe(303);
    const back = new URL(res.headers.get("location")!);
    expect(back.origin + back.pathname).toBe("https://portal.example.test/billing/return");
    expect(await verifyReturn(secret, back.searchParams)).toMatchObject({ ok: true, fields: { payment_id: payment.payment_id, status: "succeeded", amount: 1234 } });
    back.searchParams.set("status", "failed");
    expect((await verifyReturn(secret, back.searchParams)).ok).toBe(false);

    await control("/__control/adpay/callbacks/drain", { target: s.url });
    const [cb] = await s.received();
    expect(await verifyCallback(secret, cb!.body, cb!.headers["adpay-signature"]!)).toEqual({ ok: true });
    expect(await verifyCallback(secret, cb!.body.replace("succeeded", "failed"), cb!.headers["adpay-signature"]!)).toMatchObject({ ok: false });
    const event = JSON.parse(cb!.body) as AdpayEvent;
    expect(event).toMatchObject({ type: "payment.succeeded", payment: { payment_id: payment.payment_id, status: "succeeded", card: { brand: "visa", last4: "4242" } } });
    expect(cb!.headers["adpay-event-id"]).toBe(event.id);
    expect(cb!.body).not.toContain("4242424242424242");
    expect((await status(payment.payment_id)).status).toBe("succeeded");
    // The page is closed afterwards.
    expect((await fetch(`${localStripeUrl()}/adpay/pay/${payment.payment_id}`)).status).toBe(409);
  });

  it("a decline lets the payer retry; three declines fail the payment", async () => {
    const { payment } = await createPayment();
    const first = await pay(payment, card("4000000000009995"));
    expect(first.status).toBe(200);
    expect(await first.text()).toContain("Your card has insufficient funds.");
    expect((await status(payment.payment_id)).status).toBe("pending");
    await pay(payment, card("4000000000000002"));
    const last = await pay(payment, card("4242424242424241")); // Luhn error counts as an attempt
    expect(last.status).toBe(303);
    const back = new URL(last.headers.get("location")!);
    expect(back.searchParams.get("status")).toBe("failed");
    expect(await status(payment.payment_id)).toMatchObject({ status: "failed", attempts: 3, failure: { code: "incorrect_number" } });
  });

  it("3-D Secure cards get a challenge step; failing it is a declined attempt, completing it pays", async () => {
    const { payment } = await createPayment();
    const challenge = await pay(payment, card("4000002500003155"));
    expect(await challenge.text()).toContain("Complete authentication");
    const failed = await pay(payment, { outcome: "fail" }, "/authenticate");
    expect(await failed.text()).toContain("could not be authenticated");
    await pay(payment, card("4000002760003184"));
    const done = await pay(payment, { outcome: "succeed" }, "/authenticate");
    expect(done.status).toBe(303);
    expect(await status(payment.payment_id)).toMatchObject({ status: "succeeded", card: { last4: "3184" } });
  });

  it("the payer or the merchant can cancel a pending payment; the sandbox can expire one", async () => {
    const a = (await createPayment()).payment;
    const res = await pay(a, {}, "/cancel");
    expect(new URL(res.headers.get("location")!).searchParams.get("status")).toBe("cancelled");
    const b = (await createPayment()).payment;
    expect(((await (await adpay("POST", `/adpay/v1/payments/${b.payment_id}/cancel`, {})).json()) as AdpayPayment).status).toBe("cancelled");
    expect((await adpay("POST", `/adpay/v1/payments/${b.payment_id}/cancel`, {})).status).toBe(409);
    const c = (await createPayment()).payment;
    await control("/__control/adpay/expire", { payment_id: c.payment_id });
    expect((await status(c.payment_id)).status).toBe("expired");
  });

  it("retries a failing callback with backoff and re-signs each attempt", async () => {
    const s = sink("adpay-retry");
    await control("/__control/adpay/callbacks", { target: s.url, backoffMs: 20, backoffMaxMs: 100 });
    await s.failNext(2, 502);
    const { payment } = await createPayment({ callback_url: s.url });
    await pay(payment, card("5555555555554444"));
    await control("/__control/adpay/callbacks/drain", { target: s.url });
    const received = await s.received();
    expect(received.map((r) => r.answered)).toEqual([502, 502, 200]);
    for (const r of received) expect((await verifyCallback(secret, r.body, r.headers["adpay-signature"]!)).ok).toBe(true);
    // A callback signed with an old timestamp is refused by the verifier.
    const stale = await callbackSignature(secret, received[0]!.body, Math.floor(Date.now() / 1000) - 301);
    expect(await verifyCallback(secret, received[0]!.body, stale)).toMatchObject({ ok: false, reason: expect.stringContaining("tolerance") });
  });

  it("commit-then-drop: the request is recovered by repeating it with the same order_ref", async () => {
    const ref = orderRef();
    await control("/__control/faults", { dropAfterCommit: 1, match: ref });
    const body = { order_ref: ref, amount: 500, currency: "USD", return_url: "https://portal.example.test/r" };
    await expect(adpay("POST", "/adpay/v1/payments", body)).rejects.toThrow();
    const again = await adpay("POST", "/adpay/v1/payments", body);
    expect(again.status).toBe(200);
    const list = (await (await adpay("GET", `/adpay/v1/payments?order_ref=${ref}`)).json()) as { data: AdpayPayment[] };
    expect(list.data).toHaveLength(1);
    await control("/__control/faults", { fail500: 1, match: ref });
    expect((await adpay("GET", `/adpay/v1/payments?order_ref=${ref}`)).status).toBe(500);
    await control("/__control/faults", {});
  });
});
