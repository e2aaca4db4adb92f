/** HTML of the ADPAY sandbox's hosted payment page (no JavaScript: plain forms posted to the sandbox). */
import { esc } from "../stripe/pages";
import type { AdpayPayment } from "./protocol";

const STYLE = `<style>
  body { font: 15px/1.5 system-ui, sans-serif; max-width: 440px; margin: 32px auto; padding: 0 16px; color: #14213d; }
  header { border-bottom: 3px solid #0b7a75; margin-bottom: 16px; } header strong { color: #0b7a75; letter-spacing: .05em; }
  label { display: block; font-weight: 600; margin: 12px 0 4px; }
  input { box-sizing: border-box; width: 100%; padding: 9px 10px; border: 1px solid #b8c0cc; border-radius: 6px; font: inherit; }
  input:focus-visible, button:focus-visible { outline: 3px solid #0b7a75; outline-offset: 2px; }
  .row { display: flex; gap: 12px; } .row > div { flex: 1; }
  button { font: inherit; padding: 10px 18px; border-radius: 6px; border: 1px solid #0b7a75; cursor: pointer; margin-top: 16px; }
  .primary { background: #0b7a75; color: #fff; } .secondary { background: #fff; color: #0b7a75; }
  .error { color: #b00020; font-weight: 600; } .amount { font-size: 22px; font-weight: 700; }
  .note { color: #555; font-size: 13px; }
</style>`;

export const money = (p: AdpayPayment) => `${(p.amount / 10 ** exponent(p.currency)).toFixed(exponent(p.currency))} ${p.currency}`;

/** ISO 4217 minor-unit exponent for the currencies the sandbox accepts. */
export function exponent(currency: string): number {
  return ["JPY", "KRW", "VND", "CLP"].includes(currency) ? 0 : ["BHD", "JOD", "KWD", "OMR", "TND"].includes(currency) ? 3 : 2;
}

function shell(title: string, merchant: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(title)} · ADPAY sandbox</title>${STYLE}</head><body>
<header><p><strong>ADPAY</strong> sandbox · test mode · paying ${esc(merchant)}</p></header>
<main>${body}</main></body></html>`;
}

export function paymentPage(p: AdpayPayment, merchant: string, error: string | null, values: { name?: string } = {}): string {
  return shell(
    `Pay ${money(p)}`,
    merchant,
    `<h1>Pay <span class="amount">${esc(money(p))}</span></h1>
${p.description ? `<p>${esc(p.description)}</p>` : ""}
<p class="note">Order ${esc(p.order_ref)}. Test mode: use a test card such as 4242 4242 4242 4242, any future expiry and any CVC.</p>
${error ? `<p class="error" role="alert" id="error">${esc(error)}</p>` : ""}
<form method="post" action="/adpay/pay/${esc(p.payment_id)}" autocomplete="on">
  <label for="name">Cardholder Name</label>
  <input id="name" name="name" autocomplete="cc-name" value="${esc(values.name)}" required>
  <label for="number">Card Number</label>
  <input id="number" name="number" inputmode="numeric" autocomplete="cc-number" placeholder="1234 1234 1234 1234" required${error ? ' aria-describedby="error"' : ""}>
  <div class="row">
    <div><label for="expiry">Expiry Date</label><input id="expiry" name="expiry" inputmode="numeric" autocomplete="cc-exp" placeholder="MM/YY" required></div>
    <div><label for="cvc">CVV Code</label><input id="cvc" name="cvc" inputmode="numeric" autocomplete="cc-csc" placeholder="CVC" required></div>
  </div>
  <button type="submit" class="primary">Pay ${esc(money(p))}</button>
</form>
<form method="post" action="/adpay/pay/${esc(p.payment_id)}/cancel">
  <button type="submit" class="secondary">Cancel and return to the merchant</button>
</form>`,
  );
}

export function challengePage(p: AdpayPayment, merchant: string, card: { brand: string; last4: string }): string {
  return shell(
    "Authenticate your payment",
    merchant,
    `<h1>Authenticate your payment</h1>
<p>Your bank asks you to confirm the payment of <strong>${esc(money(p))}</strong> with your ${esc(card.brand)} card ending in ${esc(card.last4)} (3-D Secure test page).</p>
<form method="post" action="/adpay/pay/${esc(p.payment_id)}/authenticate">
  <button type="submit" name="outcome" value="succeed" class="primary">Complete authentication</button>
  <button type="submit" name="outcome" value="fail" class="secondary">Fail authentication</button>
</form>`,
  );
}

export function closedPage(p: AdpayPayment | undefined, merchant: string): string {
  return shell(
    "Payment closed",
    merchant,
    p
      ? `<h1>This payment is ${esc(p.status)}</h1><p>Order ${esc(p.order_ref)}. <a href="${esc(p.return_url)}">Return to the merchant</a>.</p>`
      : `<h1>Payment not found</h1><p>This payment link does not exist.</p>`,
  );
}
