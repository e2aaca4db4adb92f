/**
 * The local ADPAY sandbox (ADR 016b): a hosted-payment-page gateway on the local Stripe's server.
 *
 *   GET  /adpay/v1/merchant                  verify credentials (read-only)
 *   POST /adpay/v1/payments                  create a payment request; idempotent on order_ref
 *   GET  /adpay/v1/payments/:id              status query
 *   GET  /adpay/v1/payments?order_ref=…      status query by the merchant's reference (list shape)
 *   POST /adpay/v1/payments/:id/cancel       the merchant withdraws a pending request
 *   GET|POST /adpay/pay/:id                  the hosted page: the payer types a card (Stripe's test numbers)
 *   POST /adpay/pay/:id/authenticate         3-D Secure step for the authentication test cards
 *   POST /adpay/pay/:id/cancel               the payer gives up
 *
 * API requests are signed (protocol.ts); results reach the merchant three ways: a signed redirect to return_url,
 * a signed callback to callback_url (retried with backoff, the knobs of the Stripe webhooks), the status query.
 * Card numbers and CVCs live only in the request that carries them: a payment keeps brand and last 4.
 */
import { randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { checkCard, DECLINES } from "../stripe/cards";
import { Deliverer, type DeliveryKnobs } from "../stripe/webhooks";
import type { Faults } from "../stripe/faults";
import { sendHtml } from "../stripe/pages";
import { challengePage, closedPage, paymentPage } from "./pages";
import {
  ADPAY_TOLERANCE_SECONDS,
  callbackSignature,
  requestSignature,
  sameHex,
  signedReturnUrl,
  type AdpayCredentials,
  type AdpayEvent,
  type AdpayPayment,
  type AdpayStatus,
} from "./protocol";

export const ADPAY_CURRENCIES = ["EUR", "USD", "GBP", "CHF", "SEK", "NOK", "DKK", "PLN", "CZK", "JPY", "AUD", "CAD", "BHD", "KWD"];
const MAX_ATTEMPTS = 3;

export interface AdpayOptions extends AdpayCredentials {
  name: string;
}

export interface AdpayContext {
  faults: Faults;
  publicUrl: () => string;
  /** Records an API request in the shared request log; returns a setter for its status. */
  record: (entry: Record<string, unknown>) => (status: number | string) => void;
  delivery?: Partial<DeliveryKnobs>;
}

interface Internal {
  payment: AdpayPayment;
  merchantId: string;
  /** The card waiting for its 3-D Secure answer (brand and last 4 only). */
  pendingAuth: { brand: string; last4: string } | null;
  timer: NodeJS.Timeout | null;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

const iso = (ms = Date.now()) => new Date(ms).toISOString();
const newId = (prefix: string) => `${prefix}_${randomBytes(12).toString("hex")}`;

export function createAdpaySandbox(ctx: AdpayContext, creds: AdpayOptions) {
  let payments = new Map<string, Internal>();
  let byOrderRef = new Map<string, string>();
  let events: AdpayEvent[] = [];
  const callbacks = new Deliverer("ADPAY-Sandbox/1.0 (callbacks)", ctx.delivery);
  callbacks.defaultsAfterReset = ctx.delivery ?? {};

  function view(i: Internal): AdpayPayment {
    if (i.payment.status === "pending" && Date.parse(i.payment.expires_at) <= Date.now()) finish(i, "expired", null);
    return structuredClone(i.payment);
  }

  /** A terminal status: stored once, then the signed callback. */
  function finish(i: Internal, status: Exclude<AdpayStatus, "pending">, failure: AdpayPayment["failure"]): void {
    if (i.payment.status !== "pending") return;
    if (i.timer) clearTimeout(i.timer);
    i.timer = null;
    i.pendingAuth = null;
    Object.assign(i.payment, { status, failure, updated_at: iso() });
    const event: AdpayEvent = { id: newId("adpevt"), type: `payment.${status}`, created_at: iso(), payment: structuredClone(i.payment) };
    events.unshift(event);
    if (i.payment.callback_url) {
      callbacks.enqueue({
        event: event.id,
        type: event.type,
        target: i.payment.callback_url,
        url: i.payment.callback_url,
        body: JSON.stringify(event),
        // Signed per attempt, with that attempt's timestamp.
        headers: async (b, ts) => ({ "adpay-signature": await callbackSignature(creds.secret, b, ts), "adpay-event-id": event.id }),
      });
    }
  }

  // ---------- API ----------

  async function authenticate(req: IncomingMessage, method: string, pathWithQuery: string, body: string): Promise<void> {
    const h = (name: string) => {
      const v = req.headers[name];
      return typeof v === "string" ? v : "";
    };
    const merchant = h("adpay-merchant-id");
    const key = h("adpay-api-key");
    if (!merchant || !key || !h("adpay-signature")) throw new HttpError(401, "missing_credentials", "Send Adpay-Merchant-Id, Adpay-Api-Key, Adpay-Timestamp and Adpay-Signature.");
    if (/^adpk_live_/.test(key)) throw new HttpError(401, "live_mode_not_available", "This ADPAY sandbox runs in test mode only: use a test API key (adpk_test_…).");
    if (merchant !== creds.merchantId || !sameHex(key, creds.apiKey)) throw new HttpError(401, "invalid_credentials", "Unknown merchant ID or API key.");
    const ts = Number(h("adpay-timestamp"));
    if (!Number.isInteger(ts) || Math.abs(Math.floor(Date.now() / 1000) - ts) > ADPAY_TOLERANCE_SECONDS) {
      throw new HttpError(401, "stale_request", `Adpay-Timestamp is missing or more than ${ADPAY_TOLERANCE_SECONDS} seconds away from the sandbox's clock.`);
    }
    const expected = await requestSignature(creds.secret, ts, method, pathWithQuery, body);
    if (!sameHex(expected, h("adpay-signature"))) throw new HttpError(401, "invalid_signature", "The request signature does not match (check the secret and the signed string).");
  }

  function parseCreate(body: string) {
    let input: Record<string, unknown>;
    try {
      input = JSON.parse(body || "{}") as Record<string, unknown>;
    } catch {
      throw new HttpError(400, "invalid_json", "The body is not JSON.");
    }
    const orderRef = String(input.order_ref ?? "");
    if (!/^[A-Za-z0-9._:-]{1,64}$/.test(orderRef)) throw new HttpError(400, "invalid_request", "order_ref: 1–64 characters of A–Z, a–z, 0–9, . _ : -", "order_ref");
    const amount = input.amount;
    if (typeof amount !== "number" || !Number.isInteger(amount) || amount < 1 || amount > 99_999_999) throw new HttpError(400, "invalid_request", "amount: an integer number of minor units, 1 to 99999999.", "amount");
    const currency = String(input.currency ?? "").toUpperCase();
    if (!ADPAY_CURRENCIES.includes(currency)) throw new HttpError(400, "invalid_request", `currency: one of ${ADPAY_CURRENCIES.join(", ")}.`, "currency");
    const url = (field: string, required: boolean) => {
      const v = input[field];
      if (v === undefined || v === null || v === "") {
        if (required) throw new HttpError(400, "invalid_request", `${field}: required.`, field);
        return null;
      }
      try {
        const u = new URL(String(v));
        if (u.protocol !== "https:" && u.protocol !== "http:") throw new Error();
        return u.toString();
      } catch {
        throw new HttpError(400, "invalid_request", `${field}: an absolute http(s) URL.`, field);
      }
    };
    const expiresIn = input.expires_in === undefined ? 1800 : Number(input.expires_in);
    if (!Number.isInteger(expiresIn) || expiresIn < 60 || expiresIn > 86_400) throw new HttpError(400, "invalid_request", "expires_in: 60 to 86400 seconds.", "expires_in");
    const description = input.description === undefined || input.description === null ? null : String(input.description).slice(0, 200);
    const email = input.customer_email === undefined || input.customer_email === null ? null : String(input.customer_email).slice(0, 254);
    return { orderRef, amount, currency, returnUrl: url("return_url", true)!, callbackUrl: url("callback_url", false), description, email, expiresIn };
  }

  function createPayment(body: string): { status: number; payment: AdpayPayment; replayed: boolean } {
    const c = parseCreate(body);
    const existingId = byOrderRef.get(`${creds.merchantId}\n${c.orderRef}`);
    if (existingId) {
      const i = payments.get(existingId)!;
      const p = i.payment;
      const same = p.amount === c.amount && p.currency === c.currency && p.return_url === c.returnUrl && p.callback_url === c.callbackUrl && p.description === c.description;
      if (!same) throw new HttpError(409, "order_ref_conflict", `order_ref ${c.orderRef} was already used with other parameters; use a new order_ref for a new payment.`, "order_ref");
      return { status: 200, payment: view(i), replayed: true };
    }
    const id = newId("adp");
    const now = Date.now();
    const payment: AdpayPayment = {
      payment_id: id,
      order_ref: c.orderRef,
      status: "pending",
      amount: c.amount,
      currency: c.currency,
      description: c.description,
      customer_email: c.email,
      return_url: c.returnUrl,
      callback_url: c.callbackUrl,
      hosted_url: `${ctx.publicUrl()}/adpay/pay/${id}`,
      mode: "test",
      card: null,
      failure: null,
      attempts: 0,
      created_at: iso(now),
      updated_at: iso(now),
      expires_at: iso(now + c.expiresIn * 1000),
    };
    const i: Internal = { payment, merchantId: creds.merchantId, pendingAuth: null, timer: null };
    i.timer = setTimeout(() => finish(i, "expired", null), c.expiresIn * 1000);
    i.timer.unref();
    payments.set(id, i);
    byOrderRef.set(`${creds.merchantId}\n${c.orderRef}`, id);
    return { status: 201, payment: structuredClone(payment), replayed: false };
  }

  function apiRoute(method: string, path: string, url: URL, body: string): { status: number; body: unknown; headers?: Record<string, string> } {
    if (method === "GET" && path === "/adpay/v1/merchant") {
      return { status: 200, body: { merchant_id: creds.merchantId, name: creds.name, mode: "test", currencies: ADPAY_CURRENCIES, api_version: "2026-01" } };
    }
    if (method === "POST" && path === "/adpay/v1/payments") {
      const r = createPayment(body);
      return { status: r.status, body: r.payment, headers: r.replayed ? { "adpay-idempotent-replayed": "true" } : {} };
    }
    if (method === "GET" && path === "/adpay/v1/payments") {
      const ref = url.searchParams.get("order_ref");
      const status = url.searchParams.get("status");
      const list = [...payments.values()]
        .filter((i) => (!ref || i.payment.order_ref === ref) && (!status || view(i).status === status))
        .map(view)
        .reverse();
      return { status: 200, body: { data: list.slice(0, 100), has_more: list.length > 100 } };
    }
    const m = /^\/adpay\/v1\/payments\/([\w-]+)(\/cancel)?$/.exec(path);
    if (m) {
      const i = payments.get(m[1]!);
      if (!i) throw new HttpError(404, "not_found", `No payment ${m[1]}.`);
      if (method === "GET" && !m[2]) return { status: 200, body: view(i) };
      if (method === "POST" && m[2]) {
        if (view(i).status !== "pending") throw new HttpError(409, "not_pending", `The payment is ${i.payment.status}; only a pending payment can be cancelled.`);
        finish(i, "cancelled", { code: "cancelled_by_merchant", message: "The merchant cancelled the payment request." });
        return { status: 200, body: view(i) };
      }
    }
    throw new HttpError(404, "not_found", `No route ${method} ${path}.`);
  }

  async function api(req: IncomingMessage, res: ServerResponse, url: URL, rawBody: string): Promise<void> {
    const method = req.method ?? "GET";
    const pathWithQuery = url.pathname + url.search;
    const signature = `${method} ${url.pathname} ${url.search.slice(1)} ${rawBody}`;
    const setStatus = ctx.record({ api: "adpay", method, path: url.pathname, query: url.search.slice(1), orderRef: safeOrderRef(rawBody) });
    const reply = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      setStatus(status);
      res.writeHead(status, { "content-type": "application/json", ...headers });
      res.end(JSON.stringify(body));
    };
    try {
      await authenticate(req, method, pathWithQuery, rawBody);
      await ctx.faults.delay(signature);
      if (ctx.faults.take("dropBeforeCommit", signature)) {
        setStatus("dropped");
        req.socket.destroy();
        return;
      }
      if (ctx.faults.take("fail500", signature)) return reply(500, { error: { code: "internal_error", message: "An internal error occurred (injected by the sandbox)." } });
      if (ctx.faults.take("fail429", signature)) return reply(429, { error: { code: "rate_limited", message: "Too many requests (injected by the sandbox)." } }, { "retry-after": "1" });
      const r = apiRoute(method, url.pathname, url, rawBody);
      if (ctx.faults.take("dropAfterCommit", signature)) {
        setStatus("dropped");
        req.socket.destroy();
        return;
      }
      reply(r.status, r.body, r.headers);
    } catch (err) {
      if (!(err instanceof HttpError)) throw err;
      reply(err.status, { error: { code: err.code, message: err.message, ...(err.field ? { field: err.field } : {}) } });
    }
  }

  // ---------- hosted page ----------

  async function page(req: IncomingMessage, res: ServerResponse, url: URL, rawBody: string): Promise<void> {
    const m = /^\/adpay\/pay\/([\w-]+)(\/authenticate|\/cancel)?$/.exec(url.pathname);
    const i = m ? payments.get(m[1]!) : undefined;
    const returnOrigin = i ? new URL(i.payment.return_url).origin : "";
    const csp = `default-src 'none'; style-src 'unsafe-inline'; form-action 'self' ${returnOrigin}; base-uri 'none'; frame-ancestors 'none'`;
    if (!i || view(i).status !== "pending") return sendHtml(res, i ? 409 : 404, closedPage(i?.payment, creds.name), csp);
    const method = req.method ?? "GET";
    const form = new URLSearchParams(rawBody);
    const back = async () => {
      const location = await signedReturnUrl(creds.secret, i.payment.return_url, i.payment);
      res.writeHead(303, { location, "cache-control": "no-store" });
      res.end();
    };

    if (method === "GET" && !m![2]) {
      if (i.pendingAuth) return sendHtml(res, 200, challengePage(i.payment, creds.name, i.pendingAuth), csp);
      return sendHtml(res, 200, paymentPage(i.payment, creds.name, null), csp);
    }
    if (method !== "POST") return sendHtml(res, 405, closedPage(i.payment, creds.name), csp);

    if (m![2] === "/cancel") {
      finish(i, "cancelled", { code: "cancelled_by_payer", message: "The payer cancelled the payment." });
      return back();
    }
    if (m![2] === "/authenticate") {
      const card = i.pendingAuth;
      if (!card) return sendHtml(res, 200, paymentPage(i.payment, creds.name, null), csp);
      i.pendingAuth = null;
      if (form.get("outcome") === "succeed") {
        i.payment.card = card;
        finish(i, "succeeded", null);
        return back();
      }
      return declined(i, { code: "authentication_failed", message: "The payment could not be authenticated." }, res, csp, back);
    }

    // A card attempt. The number and CVC are read here and dropped with the request.
    i.payment.attempts++;
    const [mm, yy] = String(form.get("expiry") ?? "").split("/").map((s) => s.trim());
    const checked = checkCard({ number: form.get("number") ?? "", exp_month: mm ?? "", exp_year: yy ?? "", cvc: form.get("cvc") ?? "" }, new Date());
    if ("error" in checked) return declined(i, { code: checked.error.code, message: checked.error.message }, res, csp, back, form.get("name") ?? "");
    const card = { brand: checked.card.brand, last4: checked.card.last4 };
    const b = checked.card.behaviour;
    if (b.kind === "decline") {
      i.payment.card = card;
      return declined(i, { code: b.decline, message: DECLINES[b.decline].message }, res, csp, back, form.get("name") ?? "");
    }
    if (b.kind === "authenticate") {
      i.pendingAuth = card;
      return sendHtml(res, 200, challengePage(i.payment, creds.name, card), csp);
    }
    i.payment.card = card;
    finish(i, "succeeded", null);
    return back();
  }

  /** A failed attempt: the payer may try again until MAX_ATTEMPTS, then the payment fails and returns. */
  function declined(i: Internal, failure: { code: string; message: string }, res: ServerResponse, csp: string, back: () => Promise<void>, name = ""): Promise<void> | void {
    i.payment.failure = failure;
    i.payment.updated_at = iso();
    if (i.payment.attempts >= MAX_ATTEMPTS) {
      finish(i, "failed", failure);
      return back();
    }
    return sendHtml(res, 200, paymentPage(i.payment, creds.name, `${failure.message} Try another card.`, { name }), csp);
  }

  // ---------- control ----------

  function control(method: string, path: string, body: Record<string, unknown>): { status: number; body: unknown } | Promise<{ status: number; body: unknown }> | null {
    const route = `${method} ${path}`;
    if (route === "GET /__control/adpay") return { status: 200, body: { credentials: creds, knobs: callbacks.knobs, currencies: ADPAY_CURRENCIES } };
    if (route === "GET /__control/adpay/payments") return { status: 200, body: [...payments.values()].map(view).reverse() };
    if (route === "GET /__control/adpay/events") return { status: 200, body: events };
    // Callback knobs for every callback_url, or ({ target: "<callback_url>" }) for one only.
    const target = typeof body.target === "string" ? body.target : undefined;
    const { target: _t, timeoutMs: _ms, ...knobs } = body;
    if (route === "POST /__control/adpay/callbacks") {
      try {
        return { status: 200, body: callbacks.configure(knobs, target) };
      } catch (err) {
        return { status: 400, body: { error: (err as Error).message } };
      }
    }
    if (route === "GET /__control/adpay/callbacks/deliveries") return { status: 200, body: callbacks.deliveries(body as Record<string, string>) };
    if (route === "POST /__control/adpay/callbacks/retry_now") return { status: 200, body: { retried: callbacks.retryNow(target) } };
    if (route === "POST /__control/adpay/callbacks/drain") {
      return callbacks.drain(Number(body.timeoutMs) || 5000, target).then((idle) => ({ status: 200, body: { idle, deliveries: callbacks.deliveries({ target }) } }));
    }
    if (route === "POST /__control/adpay/expire") {
      const i = payments.get(String(body.payment_id));
      if (!i || i.payment.status !== "pending") return { status: 400, body: { error: "need a pending payment_id" } };
      finish(i, "expired", null);
      return { status: 200, body: view(i) };
    }
    return null;
  }

  return {
    credentials: creds,
    callbacks,
    isApi: (path: string) => path.startsWith("/adpay/v1/"),
    isPage: (path: string) => path.startsWith("/adpay/pay/"),
    api,
    page,
    control,
    reset(): void {
      for (const i of payments.values()) if (i.timer) clearTimeout(i.timer);
      payments = new Map();
      byOrderRef = new Map();
      events = [];
      callbacks.clear();
    },
    close(): void {
      for (const i of payments.values()) if (i.timer) clearTimeout(i.timer);
      callbacks.close();
    },
  };
}

export type AdpaySandbox = ReturnType<typeof createAdpaySandbox>;

/** order_ref of a create request, for the request log (the body never holds card data). */
function safeOrderRef(body: string): string | null {
  try {
    const v = (JSON.parse(body) as Record<string, unknown>).order_ref;
    return typeof v === "string" ? v.slice(0, 64) : null;
  } catch {
    return null;
  }
}
