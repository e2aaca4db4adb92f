/**
 * Payment Info » "Confirm your payment": a card payment of one invoice waits for the bank's 3-D Secure check (an
 * automatic charge, Capture Payment or Pay now asked for it; ADR 019). The customer opens this page from the
 * email's link or from the invoice's "Complete authentication" (a full page load: only Payment Info may load
 * Stripe.js, worker/routes/payment-page.ts). The same PaymentIntent is continued: the server hands a client
 * secret for Stripe.js `handleNextAction`, the bank's check runs in Stripe's frame, and the server then reads the
 * payment back from the gateway. A failed or abandoned check cancels the payment; nothing is charged.
 */
import { Show, createSignal } from "solid-js";
import { action, json } from "@solidjs/router";
import type { PaymentInfo } from "../../../worker/contract/payments";
import { completeAuthentication, startAuthentication } from "../../api/invoices";
import { ErrorNotice, SuccessNotice } from "../../components/Notices";
import { useFormAction } from "../../forms";
import { loadStripe } from "./stripe-js";

type Step = Awaited<ReturnType<typeof startAuthentication>>;

/** One action for the whole confirmation (as AddCardDrawer's saveNewCard): start, the bank's check, the server's reading. */
const confirmPayment = action(async (args: { invoiceId: string; gateway: NonNullable<PaymentInfo["cardGateway"]> }) => {
  let step: Step = await startAuthentication(args.invoiceId);
  if (step.status === "requires_action" && step.clientSecret) {
    const Stripe = await loadStripe(args.gateway.stripeJsUrl);
    await Stripe(args.gateway.publishableKey).handleNextAction({ clientSecret: step.clientSecret }); // its word is not trusted: the server asks the gateway
    step = await completeAuthentication(args.invoiceId);
  }
  return json(step, { revalidate: ["invoices.", "dunning."] });
}, "confirmPayment");

function outcomeOf(step: Step): { ok: boolean; text: string } {
  if (step.status === "paid") return { ok: true, text: "Thank you: your bank confirmed the payment and the invoice is paid." };
  if (step.status === "processing") return { ok: true, text: "Your bank confirmed; the payment is being processed. The invoice turns Paid as soon as it lands." };
  return { ok: false, text: step.message ?? "The payment was not confirmed; nothing was charged. You can pay the invoice again from the invoice page." };
}

export function ConfirmPayment(props: { invoiceId: string; gateway: PaymentInfo["cardGateway"] }) {
  const form = useFormAction(confirmPayment);
  const [outcome, setOutcome] = createSignal<{ ok: boolean; text: string }>();
  const invoiceHref = () => `/billing/invoices/${encodeURIComponent(props.invoiceId)}`;

  async function authenticate(gateway: NonNullable<PaymentInfo["cardGateway"]>) {
    if (form.pending()) return;
    setOutcome(undefined);
    form.reset();
    const step = await form.submit({ invoiceId: props.invoiceId, gateway });
    if (step) setOutcome(outcomeOf(step));
  }

  return (
    <section class="section" aria-labelledby="confirm-payment-title">
      <h2 id="confirm-payment-title">Confirm your payment</h2>
      <Show when={!outcome()?.ok}>
        <p>Your bank asks you to confirm a card payment for an invoice before it is charged. Choose Complete authentication and follow your bank's steps.</p>
        <Show when={!props.gateway}><p class="banner banner-info">Card payments are not enabled, so the payment cannot be confirmed here.</p></Show>
        <button type="button" class="btn btn-primary" disabled={form.pending() || !props.gateway} aria-busy={form.pending()} onClick={() => props.gateway && void authenticate(props.gateway)}>Complete authentication</button>
      </Show>
      <Show when={outcome()}>{(o) => (o().ok ? <SuccessNotice>{o().text}</SuccessNotice> : <p class="banner banner-warning" role="alert">{o().text}</p>)}</Show>
      <Show when={form.error()}><ErrorNotice error={form.error()} title="The payment could not be confirmed." /></Show>
      <p><a href={invoiceHref()}>Back to the invoice</a></p>
    </section>
  );
}
