/**
 * The ADPAY adapter: a hosted-payment-page gateway (docs/decisions/016b-adpay-protocol.md). It offers
 * `hostedPage` only: no card on file, no off-session charge. The protocol's names (headers, signed strings)
 * live here and in the ADR only, so mapping onto the vendor's real API touches this file.
 */
import { sha256Hex, timingSafeEqual, toHex, utf8 } from "../crypto/encoding";
import { GatewayRequestError, GatewayTransientError, type GatewayCapability } from "./gateway";

export const ADPAY_CAPABILITIES: ReadonlySet<GatewayCapability> = new Set(["hostedPage", "webhooks"]);
const TOLERANCE_SECONDS = 300;
/**
 * Signature timestamps are compared with the gateway's clock, i.e. real time, never the application's (possibly
 * shifted, docs/decisions/012-time-and-dates.md) clock: Stripe's constructEventAsync does the same.
 */
export const wallSeconds = (): number => Math.floor(Date.now() / 1000);

export interface AdpayCredentials {
  merchantId: string;
  apiKey: string;
  secret: string;
}

async function hmacHex(secret: string, message: string): Promise<string> {
  const key = await crypto.subtle.importKey("raw", utf8(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  return toHex(new Uint8Array(await crypto.subtle.sign("HMAC", key, utf8(message))));
}

export class AdpayClient {
  constructor(
    readonly baseUrl: string,
    readonly creds: AdpayCredentials,
    readonly nowSeconds: () => number,
  ) {}

  async request(method: string, path: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
    const url = new URL(this.baseUrl.replace(/\/$/, "") + path);
    const text = body === undefined ? "" : JSON.stringify(body);
    const ts = this.nowSeconds();
    const signature = await hmacHex(this.creds.secret, `${ts}\n${method}\n${url.pathname}${url.search}\n${await sha256Hex(text)}`);
    const res = await fetch(url, {
      method,
      headers: { "content-type": "application/json", "Adpay-Merchant-Id": this.creds.merchantId, "Adpay-Api-Key": this.creds.apiKey, "Adpay-Timestamp": String(ts), "Adpay-Signature": `v1=${signature}` },
      body: method === "GET" ? undefined : text,
      signal: AbortSignal.timeout(15_000),
    });
    return { status: res.status, json: (await res.json().catch(() => ({}))) as Record<string, unknown> };
  }

  /** "Verify": the read-only merchant call, its failure in words. */
  async testCredentials(): Promise<{ ok: true } | { ok: false; reason: string }> {
    try {
      const { status, json } = await this.request("GET", "/v1/merchant");
      if (status === 200) return { ok: true };
      const error = (json.error ?? {}) as { code?: string; message?: string };
      if (status === 401) return { ok: false, reason: `ADPAY refused the credentials (${error.code ?? "unauthorized"}): check the Merchant ID, API Key and Secret.` };
      return { ok: false, reason: `ADPAY answered ${status}${error.message ? `: ${error.message}` : ""}.` };
    } catch {
      return { ok: false, reason: "Could not reach ADPAY (network error or timeout). Check ADPAY_API_URL and the Worker's outbound network." };
    }
  }
}

/** The callback's `Adpay-Signature: t=…,v1=…[,v1=…]` over `"<t>.<raw body>"`, at most 300 s old. */
export async function verifyAdpayCallback(secret: string, header: string | null, rawBody: string, nowSeconds = wallSeconds()): Promise<boolean> {
  if (!header) return false;
  const parts = header.split(",").map((p) => p.trim().split("=", 2) as [string, string]);
  const t = Number(parts.find(([k]) => k === "t")?.[1]);
  if (!Number.isInteger(t) || nowSeconds - t > TOLERANCE_SECONDS) return false;
  const expected = utf8(await hmacHex(secret, `${t}.${rawBody}`));
  return parts.some(([k, v]) => k === "v1" && timingSafeEqual(utf8(v ?? ""), expected));
}

export type AdpayStatus = "pending" | "succeeded" | "failed" | "cancelled" | "expired";

/** A payment as ADPAY holds it (the status query's answer), in our words. */
export interface AdpayPayment {
  paymentId: string;
  orderRef: string;
  status: AdpayStatus;
  amountMinor: number;
  currency: string;
  hostedUrl: string;
  card: { brand: string; last4: string } | null;
  failure: { code: string; message: string } | null;
}

export interface AdpayCreate {
  orderRef: string;
  amountMinor: number;
  currency: string;
  returnUrl: string;
  callbackUrl: string;
  description: string;
}

const STATUSES: ReadonlySet<string> = new Set(["pending", "succeeded", "failed", "cancelled", "expired"]);

function paymentOf(json: Record<string, unknown>): AdpayPayment {
  const status = String(json.status);
  if (!STATUSES.has(status) || typeof json.payment_id !== "string" || typeof json.amount !== "number") throw new GatewayRequestError("ADPAY answered with an unexpected payment shape.");
  return {
    paymentId: json.payment_id, orderRef: String(json.order_ref), status: status as AdpayStatus, amountMinor: json.amount, currency: String(json.currency).toUpperCase(),
    hostedUrl: String(json.hosted_url ?? ""), card: (json.card as AdpayPayment["card"]) ?? null, failure: (json.failure as AdpayPayment["failure"]) ?? null,
  };
}

/** The payment calls of the protocol; no answer, a 5xx or a 429 is transient (repeat the same order_ref), any other refusal is final. */
export class AdpayPayments {
  constructor(readonly client: AdpayClient) {}

  private async call(method: string, path: string, body?: unknown): Promise<Record<string, unknown>> {
    let res;
    try {
      res = await this.client.request(method, path, body);
    } catch (err) {
      throw new GatewayTransientError(`ADPAY did not answer: ${(err as Error).message}`, false);
    }
    if (res.status >= 500 || res.status === 429) throw new GatewayTransientError(`ADPAY answered ${res.status}.`, res.status === 429);
    if (res.status >= 300) {
      const error = (res.json.error ?? {}) as { code?: string; message?: string };
      throw new GatewayRequestError(`${error.code ?? res.status}: ${error.message ?? "refused"}`);
    }
    return res.json;
  }

  /** Idempotent on the order reference: the same request returns the same payment. */
  async create(input: AdpayCreate): Promise<AdpayPayment> {
    return paymentOf(await this.call("POST", "/v1/payments", {
      order_ref: input.orderRef, amount: input.amountMinor, currency: input.currency, return_url: input.returnUrl, callback_url: input.callbackUrl, description: input.description,
    }));
  }

  async retrieve(paymentId: string): Promise<AdpayPayment> {
    return paymentOf(await this.call("GET", `/v1/payments/${encodeURIComponent(paymentId)}`));
  }

  /** The payment made under our order reference, if ADPAY created one (a create whose answer was lost). */
  async findByOrderRef(orderRef: string): Promise<AdpayPayment | null> {
    const list = await this.call("GET", `/v1/payments?order_ref=${encodeURIComponent(orderRef)}`);
    const first = (list.data as Record<string, unknown>[] | undefined)?.[0];
    return first ? paymentOf(first) : null;
  }

  /** Withdraws a pending payment; one that ended meanwhile comes back as it is. */
  async cancel(paymentId: string): Promise<AdpayPayment> {
    try {
      return paymentOf(await this.call("POST", `/v1/payments/${encodeURIComponent(paymentId)}/cancel`));
    } catch (err) {
      if (err instanceof GatewayRequestError && err.message.startsWith("not_pending")) return this.retrieve(paymentId);
      throw err;
    }
  }
}

const RETURN_TOLERANCE_SECONDS = 3600;

export interface AdpayReturn {
  payment_id: string;
  order_ref: string;
  status: string;
  amount: string;
  currency: string;
  ts: string;
  signature: string;
}

/** The return redirect's signature (ADR 016b), at most an hour old. Only says which payment to ask ADPAY about. */
export async function verifyAdpayReturn(secret: string, q: AdpayReturn, nowSeconds = wallSeconds()): Promise<boolean> {
  const ts = Number(q.ts);
  if (!Number.isInteger(ts) || Math.abs(nowSeconds - ts) > RETURN_TOLERANCE_SECONDS) return false;
  const expected = await hmacHex(secret, ["adpay-return", q.payment_id, q.order_ref, q.status, q.amount, q.currency, q.ts].join("\n"));
  return timingSafeEqual(utf8(q.signature.toLowerCase()), utf8(expected));
}
