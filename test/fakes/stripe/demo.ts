/**
 * Demo merchant of the local Stripe and the ADPAY sandbox, for a person trying them and for the Chromium tests:
 *
 *   /__demo/setup     "Add a Card": Stripe.js card fields + confirmCardSetup (3-D Secure, declines)
 *   /__demo/payment   the same with confirmCardPayment
 *   /__demo/adpay     pay through the ADPAY hosted page; the return and the callback are verified (protocol.ts)
 *
 * A demo page loads Stripe.js from the *other* loopback host name (page on 127.0.0.1 → Stripe on localhost and
 * vice versa), so the page and the card fields are different origins, as a portal and js.stripe.com are.
 * Its "backend" (/__demo/api) uses the Stripe handlers directly with the secret key's rights.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { signRequest, verifyCallback, verifyReturn, type AdpayPayment } from "../adpay/protocol";
import type { AdpaySandbox } from "../adpay/sandbox";
import { money } from "../adpay/pages";
import { browserScript, demoCsp, demoPage, esc, sendHtml, sendScript } from "./pages";

export interface DemoContext {
  port: number;
  publishableKey: string;
  /** Calls a /v1 handler as the account owner; resolves { status, body }. */
  internal: (method: string, path: string, params: Record<string, unknown>) => { status: number; body: unknown };
  adpay: AdpaySandbox | null;
}

const json = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { "content-type": "application/json", "cache-control": "no-store" });
  res.end(JSON.stringify(body));
};

export function createDemo(ctx: DemoContext) {
  const adpayCallbacks: { event_id: string; type: string; payment_id: string; verified: boolean; reason: string | null }[] = [];

  /** The other loopback name than the page's: its Stripe.js is then a different origin. */
  function origins(req: IncomingMessage) {
    const host = String(req.headers.host ?? `127.0.0.1:${ctx.port}`);
    const onLocalhost = host.startsWith("localhost");
    return { page: `http://${host}`, stripe: `http://${onLocalhost ? "127.0.0.1" : "localhost"}:${ctx.port}` };
  }

  async function adpayCall(method: string, path: string, body: string): Promise<{ status: number; body: Record<string, unknown> }> {
    const sandbox = ctx.adpay!;
    const headers = await signRequest(sandbox.credentials, method, path, body);
    const res = await fetch(`http://127.0.0.1:${ctx.port}${path}`, { method, headers: { ...headers, "content-type": "application/json" }, body: method === "GET" ? undefined : body });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  }

  const ADPAY_CSP = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self' http://localhost:* http://127.0.0.1:*; base-uri 'none'";
  const adpayShell = (title: string, body: string) => `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${esc(title)} · ADPAY demo merchant</title>
<style>body{font:15px/1.5 system-ui,sans-serif;max-width:480px;margin:32px auto;padding:0 16px} label{display:block;font-weight:600;margin:12px 0 4px} input{padding:8px;font:inherit} button{margin-top:12px;padding:10px 16px;font:inherit}</style>
</head><body><h1>${esc(title)}</h1>${body}</body></html>`;

  async function handle(req: IncomingMessage, res: ServerResponse, url: URL, rawBody: string): Promise<boolean> {
    const method = req.method ?? "GET";
    const path = url.pathname;
    if (path === "/__demo/demo.js") return sendScript(res, browserScript("demo.js")), true;

    if (method === "GET" && (path === "/__demo/setup" || path === "/__demo/payment")) {
      const o = origins(req);
      const amount = Math.max(1, Number(url.searchParams.get("amount")) || 1999);
      const currency = /^[a-z]{3}$/.test(url.searchParams.get("currency") ?? "") ? url.searchParams.get("currency")! : "eur";
      sendHtml(res, 200, demoPage({ mode: path.endsWith("setup") ? "setup" : "payment", stripeOrigin: o.stripe, publishableKey: ctx.publishableKey, amount, currency }), demoCsp(o.stripe));
      return true;
    }

    // ----- the demo merchant's backend (same origin as its page) -----
    if (path.startsWith("/__demo/api/")) {
      const body = (rawBody ? JSON.parse(rawBody) : {}) as Record<string, unknown>;
      const customer = async () => {
        if (typeof body.customer === "string" && body.customer) return body.customer;
        const c = ctx.internal("POST", "/v1/customers", { description: "local Stripe demo customer" });
        return (c.body as { id: string }).id;
      };
      if (method === "POST" && path === "/__demo/api/setup_intents") {
        const cus = await customer();
        const si = ctx.internal("POST", "/v1/setup_intents", { customer: cus, usage: "off_session", metadata: { demo: "true" } });
        return json(res, si.status, { ...(si.body as object), customer: cus }), true;
      }
      if (method === "POST" && path === "/__demo/api/payment_intents") {
        const cus = await customer();
        const pi = ctx.internal("POST", "/v1/payment_intents", { customer: cus, amount: String(Number(body.amount) || 1999), currency: String(body.currency ?? "eur"), metadata: { demo: "true" } });
        return json(res, pi.status, { ...(pi.body as object), customer: cus }), true;
      }
      const m = /^\/__demo\/api\/customers\/([\w]+)\/payment_methods$/.exec(path);
      if (method === "GET" && m) {
        const list = ctx.internal("GET", `/v1/customers/${m[1]}/payment_methods`, {});
        return json(res, list.status, list.body), true;
      }
      return json(res, 404, { error: "no such demo route" }), true;
    }

    // ----- ADPAY demo merchant -----
    if (!path.startsWith("/__demo/adpay")) return false;
    if (!ctx.adpay) return json(res, 404, { error: "the ADPAY sandbox is off" }), true;
    const secret = ctx.adpay.credentials.secret;
    if (method === "GET" && path === "/__demo/adpay") {
      sendHtml(res, 200, adpayShell("Pay with ADPAY", `<form method="post" action="/__demo/adpay/pay">
<label for="amount">Amount (EUR)</label><input id="amount" name="amount" value="12.34" inputmode="decimal">
<label for="description">Description</label><input id="description" name="description" value="Demo order">
<button type="submit">Pay with ADPAY</button></form>`), ADPAY_CSP);
      return true;
    }
    if (method === "POST" && path === "/__demo/adpay/pay") {
      const form = new URLSearchParams(rawBody);
      const amount = Math.round(Number(form.get("amount") ?? "0") * 100);
      const o = origins(req);
      const body = JSON.stringify({
        order_ref: `demo-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`,
        amount,
        currency: "EUR",
        description: form.get("description") || null,
        return_url: `${o.page}/__demo/adpay/return`,
        callback_url: `http://127.0.0.1:${ctx.port}/__demo/adpay/callback`,
      });
      const r = await adpayCall("POST", "/adpay/v1/payments", body);
      if (r.status !== 201 && r.status !== 200) {
        sendHtml(res, 502, adpayShell("ADPAY refused the payment", `<p role="alert">${esc(JSON.stringify(r.body))}</p>`), ADPAY_CSP);
        return true;
      }
      res.writeHead(303, { location: String(r.body.hosted_url) });
      res.end();
      return true;
    }
    if (method === "GET" && path === "/__demo/adpay/return") {
      const check = await verifyReturn(secret, url.searchParams);
      const id = url.searchParams.get("payment_id") ?? "";
      const status = /^[\w-]+$/.test(id) ? await adpayCall("GET", `/adpay/v1/payments/${id}`, "") : null;
      const p = status?.body as AdpayPayment | undefined;
      sendHtml(res, 200, adpayShell("Back from ADPAY", `<p id="return-signature">Return signature: ${check.ok ? "verified" : `rejected (${esc(check.reason)})`}</p>
<p id="return-status" role="status">Status from the redirect: ${esc(url.searchParams.get("status"))}</p>
<p id="query-status">Status from the status query: ${esc(p?.status ?? "unknown")}${p?.card ? `, ${esc(p.card.brand)} ending in ${esc(p.card.last4)}` : ""}${p ? `, ${esc(money(p))}` : ""}</p>
${p?.failure ? `<p id="failure">${esc(p.failure.message)}</p>` : ""}
<p><a href="/__demo/adpay">Pay again</a></p>`), ADPAY_CSP);
      return true;
    }
    if (method === "POST" && path === "/__demo/adpay/callback") {
      const check = await verifyCallback(secret, rawBody, (req.headers["adpay-signature"] as string | undefined) ?? null);
      let event: { id?: string; type?: string; payment?: { payment_id?: string } } = {};
      try {
        event = JSON.parse(rawBody);
      } catch {
        // recorded below as unverified
      }
      adpayCallbacks.push({ event_id: String(event.id), type: String(event.type), payment_id: String(event.payment?.payment_id), verified: check.ok, reason: check.ok ? null : check.reason });
      return json(res, check.ok ? 200 : 400, check.ok ? { received: true } : { error: check.reason }), true;
    }
    if (method === "GET" && path === "/__demo/adpay/callbacks") return json(res, 200, adpayCallbacks), true;
    return json(res, 404, { error: "no such demo route" }), true;
  }

  return { handle, reset: () => void adpayCallbacks.splice(0) };
}
