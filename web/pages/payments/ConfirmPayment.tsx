/**
 * Payment Info » "Confirm your payment": a card payment of one invoice waits for the bank's 3-D Secure check (an
 * automatic charge, Capture Payment or Pay now asked for it; ADR 019). The customer opens this page from the
 * email's link or from the invoice's "Complete authentication" (a full page load: only Payment Info may load
 * Stripe.js, worker/routes/payment-page.ts). The same PaymentIntent is continued: the server hands a client
 * secret for Stripe.js `handleNextAction`, the bank's check runs in Stripe's frame, and the server then reads the
 * payment back from the gateway. A failed or abandoned check cancels the payment; nothing is charged.
 */
import { Show, createSignal } from "solid-js";
import type { PaymentInfo } from "../../../worker/contract/payments";
import { completeAuthentication, startAuthentication } from "../../api/invoices";
import { ErrorNotice, SuccessNotice } from "../../components/Notices";
import { useFormAction } from "../../forms";
import { loadStripe } from "./stripe-js";

export function ConfirmPayment(props: { invoiceId: string; gateway: PaymentInfo["cardGateway"] }) {
  const start = useFormAction(startAuthentication);
  const complete = useFormAction(completeAuthentication);
  const [outcome, setOutcome] = createSignal<{ ok: boolean; text: string }>();
  const [busy, setBusy] = createSignal(false);
  const error = () => start.error() ?? complete.error();
  const invoiceHref = () => `/billing/invoices/${encodeURIComponent(props.invoiceId)}`;

  async function authenticate() {
    if (busy()) return;
    setBusy(true);
    setOutcome(undefined);
    start.reset();
    complete.reset();
    try {
      const step = await start.submit(props.invoiceId);
      if (!step) return;
      if (step.status === "requires_action" && step.clientSecret && props.gateway) {
        const Stripe = await loadStripe(props.gateway.stripeJsUrl);
        await Stripe(props.gateway.publishableKey).handleNextAction({ clientSecret: step.clientSecret }); // its word is not trusted: the server asks the gateway
      }
      const done = step.status === "requires_action" && step.clientSecret ? await complete.submit(props.invoiceId) : step;
      if (!done) return;
      if (done.status === "paid") setOutcome({ ok: true, text: "Thank you: your bank confirmed the payment and the invoice is paid." });
      else if (done.status === "processing") setOutcome({ ok: true, text: "Your bank confirmed; the payment is being processed. The invoice turns Paid as soon as it lands." });
      else setOutcome({ ok: false, text: done.message ?? "The payment was not confirmed; nothing was charged. You can pay the invoice again from the invoice page." });
    } catch (err) {
      setOutcome({ ok: false, text: err instanceof Error ? err.message : "Stripe.js could not be loaded; reload the page and try again." });
    } finally {
      setBusy(false);
    }
  }

  return (
    <section class="section" aria-labelledby="confirm-payment-title">
      <h2 id="confirm-payment-title">Confirm your payment</h2>
      <Show when={!outcome()?.ok}>
        <p>Your bank asks you to confirm a card payment for an invoice before it is charged. Choose Complete authentication and follow your bank's steps.</p>
        <Show when={!props.gateway}><p class="banner banner-info">Card payments are not enabled, so the payment cannot be confirmed here.</p></Show>
        <button type="button" class="btn btn-primary" disabled={busy() || !props.gateway} aria-busy={busy()} onClick={() => void authenticate()}>Complete authentication</button>
      </Show>
      <Show when={outcome()}>{(o) => (o().ok ? <SuccessNotice>{o().text}</SuccessNotice> : <p class="banner banner-warning" role="alert">{o().text}</p>)}</Show>
      <Show when={error()}><ErrorNotice error={error()} title="The payment could not be confirmed." /></Show>
      <p><a href={invoiceHref()}>Back to the invoice</a></p>
    </section>
  );
}
