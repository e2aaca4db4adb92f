/**
 * The local Stripe's browser-facing pages: Stripe.js and its card-field frame (served under /v3/), the 3-D Secure
 * challenge (/__3ds/), and the demo merchant pages (/__demo/). Scripts are files in ./browser, served as they are.
 */
import { readFileSync } from "node:fs";
import type { ServerResponse } from "node:http";
import { fileURLToPath } from "node:url";
import { BRANDS } from "./cards";

const BROWSER_DIR = fileURLToPath(new URL("./browser/", import.meta.url));
const scripts = new Map<string, string>();

/** One of ./browser/*.js, read once. */
export function browserScript(name: "stripe-v3.js" | "frame.js" | "challenge.js" | "demo.js"): string {
  let text = scripts.get(name);
  if (text === undefined) {
    text = readFileSync(`${BROWSER_DIR}${name}`, "utf8");
    scripts.set(name, text);
  }
  return text;
}

export const esc = (s: unknown): string =>
  String(s ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

/** JSON inside <script type="application/json">: `<` escaped so no text can close the element. */
const jsonData = (v: unknown): string => JSON.stringify(v).replace(/</g, "\\u003c");

export function sendHtml(res: ServerResponse, status: number, html: string, csp: string): void {
  res.writeHead(status, {
    "content-type": "text/html; charset=utf-8",
    "content-security-policy": csp,
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "cache-control": "no-store",
  });
  res.end(html);
}

export function sendScript(res: ServerResponse, text: string): void {
  res.writeHead(200, {
    "content-type": "application/javascript; charset=utf-8",
    "x-content-type-options": "nosniff",
    "access-control-allow-origin": "*",
    "cache-control": "no-cache",
  });
  res.end(text);
}

/** CSP of pages that only this origin scripts (card frames, challenge); any site may frame them, as Stripe's. */
export const FRAME_CSP = "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'unsafe-inline'; img-src 'self' data:; base-uri 'none'; form-action 'self'";

export function framePage(): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Secure card field (local Stripe)</title>
<style>
  html, body { margin: 0; padding: 0; background: transparent; font: 16px/24px system-ui, -apple-system, "Segoe UI", sans-serif; }
  #root { display: flex; gap: 8px; align-items: center; }
  .field { flex: 1 1 auto; min-width: 0; border: none; outline: none; background: transparent; padding: 0; margin: 0; font: inherit; color: #32325d; height: 24px; }
  .field-number { flex-basis: 55%; } .field-expiry, .field-cvc, .field-postal { flex-basis: 15%; }
  .field:focus-visible { outline: 2px solid #635bff; outline-offset: 1px; border-radius: 2px; }
  .field[aria-invalid=true] { color: #df1b41; }
</style>
<style id="custom"></style>
<script type="application/json" id="brands">${jsonData(BRANDS)}</script>
</head><body><div id="root"></div><script src="/v3/elements/frame.js"></script></body></html>`;
}

export function challengePage(id: string, open: boolean, what: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>3D Secure test authentication</title>
<style>
  body { font: 15px/1.5 system-ui, sans-serif; margin: 0; padding: 24px; color: #1a1a2e; }
  h1 { font-size: 18px; margin: 0 0 8px; } p { margin: 0 0 16px; }
  .actions { display: flex; gap: 12px; flex-wrap: wrap; }
  button { font: inherit; padding: 10px 16px; border-radius: 6px; border: 1px solid #635bff; cursor: pointer; }
  button.complete { background: #635bff; color: #fff; } button.fail { background: #fff; color: #635bff; }
  button:focus-visible { outline: 3px solid #1a1a2e; outline-offset: 2px; }
</style></head><body>
<main id="challenge" data-challenge="${esc(id)}">
<h1>3D Secure test authentication</h1>
<p>This is a test page of the local Stripe. ${esc(what)} Choose how the card issuer answers.</p>
${open ? `<div class="actions">
  <button type="button" class="complete" data-outcome="succeed">Complete authentication</button>
  <button type="button" class="fail" data-outcome="fail">Fail authentication</button>
</div>` : `<p>This authentication has already been answered or does not exist.</p>`}
<p id="status" role="status" aria-live="polite"></p>
</main><script src="/__3ds/challenge.js"></script></body></html>`;
}

export interface DemoConfig {
  mode: "setup" | "payment";
  stripeOrigin: string;
  publishableKey: string;
  amount: number;
  currency: string;
}

export const demoCsp = (stripeOrigin: string) =>
  `default-src 'none'; script-src 'self' ${stripeOrigin}; frame-src ${stripeOrigin}; connect-src 'self' ${stripeOrigin}; style-src 'unsafe-inline'; img-src 'self' data:; base-uri 'none'; form-action 'self'`;

export function demoPage(config: DemoConfig): string {
  const heading = config.mode === "payment" ? `Pay ${(config.amount / 100).toFixed(2)} ${config.currency.toUpperCase()}` : "Add a Card";
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(heading)} · local Stripe demo</title>
<style>
  body { font: 15px/1.5 system-ui, sans-serif; max-width: 460px; margin: 32px auto; padding: 0 16px; color: #1a1a2e; }
  label { display: block; font-weight: 600; margin: 14px 0 4px; }
  input, .StripeElement { box-sizing: border-box; width: 100%; padding: 9px 10px; border: 1px solid #c4c4d4; border-radius: 6px; background: #fff; font: inherit; }
  .StripeElement--focus { border-color: #635bff; box-shadow: 0 0 0 2px rgba(99,91,255,.25); }
  .StripeElement--invalid { border-color: #df1b41; }
  #field-error { color: #df1b41; min-height: 1.5em; margin: 8px 0; }
  button { margin-top: 8px; font: inherit; padding: 10px 18px; border-radius: 6px; border: none; background: #635bff; color: #fff; cursor: pointer; }
  .note { color: #555; font-size: 13px; }
</style>
<script type="application/json" id="demo-config">${jsonData(config)}</script>
</head><body>
<h1>${esc(heading)}</h1>
<p class="note">Demo merchant page of the local Stripe. The card fields below are iframes of ${esc(config.stripeOrigin)}; try 4242 4242 4242 4242, 4000 0000 0000 0002 or 4000 0025 0000 3155 with any future expiry and any CVC.</p>
<form id="card-form" novalidate>
  <label for="name">Cardholder Name</label>
  <input id="name" name="name" autocomplete="cc-name" required>
  <label for="card-number">Card Number</label>
  <div id="card-number"></div>
  <p class="note">Brand: <span id="brand"></span></p>
  <label for="card-expiry">Expiry Date</label>
  <div id="card-expiry"></div>
  <label for="card-cvc">CVV Code</label>
  <div id="card-cvc"></div>
  <p id="field-error" role="alert"></p>
  <button type="submit">${config.mode === "payment" ? "Pay" : "Save"}</button>
</form>
<p id="result" role="status" aria-live="polite"></p>
<h2>Saved cards</h2>
<ul id="cards"></ul>
<script src="${esc(config.stripeOrigin)}/v3/"></script>
<script src="/__demo/demo.js"></script>
</body></html>`;
}
