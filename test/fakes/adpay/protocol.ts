/**
 * The ADPAY hosted-payment-page protocol (ADR 016b), as the local sandbox speaks it: signing and verifying the
 * three signed messages. Web Crypto only (Node 20 and workerd alike), no dependencies, so the Worker's ADPAY
 * adapter can take this file as its reference.
 *
 * 1. Merchant → ADPAY API requests: headers
 *      Adpay-Merchant-Id: <merchant id>      Adpay-Api-Key: <api key>      Adpay-Timestamp: <unix seconds>
 *      Adpay-Signature: v1=<hex HMAC-SHA256(secret, "<ts>\n<METHOD>\n<path?query>\n<hex SHA-256(body)>")>
 *    refused when the timestamp is more than 300 s away from ADPAY's clock.
 * 2. Return redirect (browser → merchant's return_url): query payment_id, order_ref, status, amount, currency, ts,
 *      signature=<hex HMAC-SHA256(secret, "adpay-return\n<payment_id>\n<order_ref>\n<status>\n<amount>\n<currency>\n<ts>")>
 *    A hint only: the merchant confirms with the callback or the status query.
 * 3. Callback (ADPAY → merchant's callback_url, POST JSON, retried until 2xx):
 *      Adpay-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>     Adpay-Event-Id: <event id>
 */

export const ADPAY_TOLERANCE_SECONDS = 300;
export const ADPAY_RETURN_TOLERANCE_SECONDS = 3600;

export interface AdpayCredentials {
  merchantId: string;
  apiKey: string;
  secret: string;
}

export type AdpayStatus = "pending" | "succeeded" | "failed" | "cancelled" | "expired";

export interface AdpayPayment {
  payment_id: string;
  order_ref: string;
  status: AdpayStatus;
  amount: number;
  currency: string;
  description: string | null;
  customer_email: string | null;
  return_url: string;
  callback_url: string | null;
  hosted_url: string;
  mode: "test" | "live";
  card: { brand: string; last4: string } | null;
  failure: { code: string; message: string } | null;
  attempts: number;
  created_at: string;
  updated_at: string;
  expires_at: string;
}

export interface AdpayEvent {
  id: string;
  type: "payment.succeeded" | "payment.failed" | "payment.cancelled" | "payment.expired";
  created_at: string;
  payment: AdpayPayment;
}

const enc = new TextEncoder();

const hex = (buf: ArrayBuffer): string => [...new Uint8Array(buf)].map((b) => b.toString(16).padStart(2, "0")).join("");

export async function sha256Hex(text: string): Promise<string> {
  return hex(await crypto.subtle.digest("SHA-256", enc.encode(text)));
}

export async function hmacHex(secret: string, message: string): Promise<string> {
  const key = await crypto.subtle.importKey("raw", enc.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  return hex(await crypto.subtle.sign("HMAC", key, enc.encode(message)));
}

/** Constant-time comparison of two hex strings. */
export function sameHex(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

export async function requestSignature(secret: string, ts: number, method: string, pathWithQuery: string, body: string): Promise<string> {
  return `v1=${await hmacHex(secret, `${ts}\n${method.toUpperCase()}\n${pathWithQuery}\n${await sha256Hex(body)}`)}`;
}

/** Headers of a signed API request. `pathWithQuery` is what follows the host, e.g. "/adpay/v1/payments?order_ref=x". */
export async function signRequest(creds: AdpayCredentials, method: string, pathWithQuery: string, body: string, ts = Math.floor(Date.now() / 1000)): Promise<Record<string, string>> {
  return {
    "adpay-merchant-id": creds.merchantId,
    "adpay-api-key": creds.apiKey,
    "adpay-timestamp": String(ts),
    "adpay-signature": await requestSignature(creds.secret, ts, method, pathWithQuery, body),
  };
}

type ReturnFields = Pick<AdpayPayment, "payment_id" | "order_ref" | "status" | "amount" | "currency">;

const returnString = (f: ReturnFields, ts: number) => ["adpay-return", f.payment_id, f.order_ref, f.status, f.amount, f.currency, ts].join("\n");

/** The return URL with the signed result appended. */
export async function signedReturnUrl(secret: string, returnUrl: string, f: ReturnFields, ts = Math.floor(Date.now() / 1000)): Promise<string> {
  const url = new URL(returnUrl);
  const q = { payment_id: f.payment_id, order_ref: f.order_ref, status: f.status, amount: String(f.amount), currency: f.currency, ts: String(ts) };
  for (const [k, v] of Object.entries(q)) url.searchParams.set(k, v);
  url.searchParams.set("signature", await hmacHex(secret, returnString(f, ts)));
  return url.toString();
}

/** Checks a return redirect's query; the result is a hint to be confirmed by the status query or the callback. */
export async function verifyReturn(secret: string, query: URLSearchParams, now = Math.floor(Date.now() / 1000)): Promise<{ ok: true; fields: ReturnFields } | { ok: false; reason: string }> {
  const get = (k: string) => query.get(k) ?? "";
  const ts = Number(get("ts"));
  if (!Number.isInteger(ts) || Math.abs(now - ts) > ADPAY_RETURN_TOLERANCE_SECONDS) return { ok: false, reason: "stale or missing ts" };
  const fields: ReturnFields = { payment_id: get("payment_id"), order_ref: get("order_ref"), status: get("status") as AdpayStatus, amount: Number(get("amount")), currency: get("currency") };
  const expected = await hmacHex(secret, returnString(fields, ts));
  return sameHex(expected, get("signature")) ? { ok: true, fields } : { ok: false, reason: "bad signature" };
}

export async function callbackSignature(secret: string, body: string, ts = Math.floor(Date.now() / 1000)): Promise<string> {
  return `t=${ts},v1=${await hmacHex(secret, `${ts}.${body}`)}`;
}

/** Verifies a callback's Adpay-Signature header against the raw body; several v1= values are allowed (secret rotation). */
export async function verifyCallback(secret: string, body: string, header: string | null, now = Math.floor(Date.now() / 1000)): Promise<{ ok: true } | { ok: false; reason: string }> {
  if (!header) return { ok: false, reason: "missing signature" };
  const parts = header.split(",").map((p) => p.trim().split("="));
  const ts = Number(parts.find(([k]) => k === "t")?.[1]);
  const sigs = parts.filter(([k]) => k === "v1").map(([, v]) => v ?? "");
  if (!Number.isInteger(ts) || !sigs.length) return { ok: false, reason: "malformed signature header" };
  if (now - ts > ADPAY_TOLERANCE_SECONDS) return { ok: false, reason: "timestamp outside the tolerance zone" };
  const expected = await hmacHex(secret, `${ts}.${body}`);
  return sigs.some((s) => sameHex(expected, s)) ? { ok: true } : { ok: false, reason: "bad signature" };
}
