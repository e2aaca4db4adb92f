/**
 * My Invoices » Pay now: a customer or reseller pays its own unpaid invoice with the card on file, after a
 * confirmation with the amount. The wallet pays first (ADR 019); a decline is said in words, and the invoice (and
 * the dunning banner) update without a reload. A bank that asks for 3-D Secure turns the button into "Complete
 * authentication", which opens Payment Info's confirmation (ConfirmPayment.tsx). "Pay with a new card" opens Payment
 * Info's PayWithNewCard.tsx (the card typed into Stripe.js's fields; no card on file needed).
 */
import { Show, createSignal } from "solid-js";
import type { InvoiceSummary } from "../../../worker/contract/billing";
import { formatMoney } from "../../../worker/contract/money";
import { ApiError } from "../../api/client";
import { payInvoice } from "../../api/invoices";
import { ConfirmDialog } from "../../components/Dialog";
import { useFormAction } from "../../forms";

export function PayNow(props: { invoice: InvoiceSummary; onDone: (message: string) => void; onError: (err: unknown) => void }) {
  const pay = useFormAction(payInvoice);
  const [asking, setAsking] = createSignal(false);
  const [waiting, setWaiting] = createSignal(false);
  let button!: HTMLButtonElement;
  const due = () => props.invoice.totalMinor - props.invoice.amountPaidMinor;
  const money = (m: number) => formatMoney(m, props.invoice.currency, props.invoice.exponent);
  // A full page load: only Payment Info may load Stripe.js (worker/routes/payment-page.ts).
  const newCardHref = () => `/billing/payment-info?pay=${encodeURIComponent(props.invoice.id)}`;

  async function confirm() {
    const r = await pay.submit(props.invoice.id, due());
    setAsking(false);
    if (!r) return props.onError(pay.error());
    if (r.status === "declined") return props.onError(new ApiError(402, "CARD_REFUSED", `Your card was declined: ${r.message ?? r.declineCode ?? "no reason given"}. Update it in Payment Info and try again.`, ""));
    setWaiting(r.status !== "paid");
    props.onDone(r.status === "paid"
      ? `Thank you: ${money(r.walletMinor + r.cardMinor)} paid.`
      : "Your bank asks you to confirm this payment: choose Complete authentication. The invoice stays unpaid until you do.");
  }

  return (
    <>
      <Show when={waiting()} fallback={<button ref={button} type="button" class="btn btn-primary" onClick={() => { pay.reset(); setAsking(true); }}>Pay now</button>}>
        {/* A full page load: only Payment Info may load Stripe.js (worker/routes/payment-page.ts). */}
        <a class="btn btn-primary" rel="external" href={`/billing/payment-info?confirm=${encodeURIComponent(props.invoice.id)}`}>Complete authentication</a>
      </Show>
      {/* No card on file needed: the card is typed into Stripe.js's fields on Payment Info (PayWithNewCard.tsx). */}
      <a class="btn" rel="external" href={newCardHref()}>Pay with a new card</a>
      <ConfirmDialog open={asking()} title={`Pay invoice ${props.invoice.number ?? ""}?`} confirmLabel={`Pay ${money(due())}`} pending={pay.pending()}
        returnFocus={() => button} onConfirm={() => void confirm()} onCancel={() => setAsking(false)}>
        <p>{money(due())} is charged to your default card. Any balance in your wallet is used first.</p>
        <p><a rel="external" href={newCardHref()}>Pay with a new card</a> instead.</p>
      </ConfirmDialog>
    </>
  );
}
