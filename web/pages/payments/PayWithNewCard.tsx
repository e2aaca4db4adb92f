/**
 * Payment Info » "Pay with a new card" (`?pay={invoice}`, from the invoice's Pay now): the customer pays one unpaid
 * invoice of their own organization with a card typed into Stripe.js's fields. This lives on Payment Info because
 * that is the one page whose CSP lets Stripe.js load (worker/routes/payment-page.ts; docs/decisions/019-collection.md,
 * "Pay now with a new card"). The Worker creates the payment for the amount shown (the wallet pays first), Stripe.js
 * confirms it with the card fields (3-D Secure runs in the same call), and the Worker then reads the outcome back
 * from the gateway: the browser's word is never taken. "Save this card for future payments" keeps it in Payment
 * Info only when ticked.
 */
import { Show, createSignal } from "solid-js";
import { action, createAsync, json } from "@solidjs/router";
import { formatMoney } from "../../../worker/contract/money";
import { completeNewCardPayment, getInvoice, startNewCardPayment } from "../../api/invoices";
import { CARD_QUERIES } from "../../api/payments";
import { ErrorNotice, SuccessNotice } from "../../components/Notices";
import { useFormAction } from "../../forms";
import { CardFieldInputs, useCardFields, type CardGateway } from "./CardFields";
import type { StripeElement, StripeJs } from "./stripe-js";

type Outcome = { ok: boolean; text: string };

const payWithNewCard = action(async (a: { invoiceId: string; dueMinor: number; save: boolean; name: string; stripe: StripeJs; number: StripeElement }) => {
  const started = await startNewCardPayment(a.invoiceId, a.dueMinor, a.save);
  let status: string = started.status;
  let message: string | undefined;
  if (started.status === "confirm" && started.clientSecret && started.paymentId) {
    // Its answer is not trusted (a declined card and a failed check both come back here): the server asks the gateway.
    await a.stripe.confirmCardPayment(started.clientSecret, { payment_method: { card: a.number, billing_details: { name: a.name } } });
    ({ status, message } = await completeNewCardPayment(a.invoiceId, started.paymentId));
  }
  return json({ status, message }, { revalidate: ["invoices.", "dunning.", ...CARD_QUERIES] });
}, "payWithNewCard");

function outcomeOf(r: { status: string; message?: string }, paid: string): Outcome {
  if (r.status === "paid") return { ok: true, text: `Thank you: ${paid} paid. The invoice is paid.` };
  if (r.status === "processing") return { ok: true, text: "Your bank confirmed; the payment is being processed. The invoice turns Paid as soon as it lands." };
  if (r.status === "declined") return { ok: false, text: `Your card was declined: ${r.message ?? "no reason given"} Nothing was charged; try another card.` };
  return { ok: false, text: `${r.message ?? "The payment was not completed."} You can try again.` };
}

export function PayWithNewCard(props: { invoiceId: string; gateway: CardGateway | null }) {
  const invoice = createAsync(() => getInvoice(props.invoiceId));
  const invoiceHref = () => `/billing/invoices/${encodeURIComponent(props.invoiceId)}`;
  return (
    <section class="section" aria-labelledby="pay-new-card-title">
      <h2 id="pay-new-card-title">Pay with a new card</h2>
      <Show when={props.gateway} fallback={<p class="banner banner-info">Card payments are not enabled, so the invoice cannot be paid with a card here.</p>}>
        {(gw) => (
          <Show when={invoice()} fallback={<p aria-busy="true">Loading the invoice…</p>}>
            {(inv) => <NewCardForm gateway={gw()} invoiceId={props.invoiceId} number={inv().number ?? ""} status={inv().status}
              dueMinor={inv().totalMinor - inv().amountPaidMinor} money={(m) => formatMoney(m, inv().currency, inv().exponent)} />}
          </Show>
        )}
      </Show>
      <p><a href={invoiceHref()}>Back to the invoice</a></p>
    </section>
  );
}

function NewCardForm(props: { gateway: CardGateway; invoiceId: string; number: string; status: string; dueMinor: number; money: (m: number) => string }) {
  const form = useFormAction(payWithNewCard);
  const fields = useCardFields(props.gateway);
  const [save, setSave] = createSignal(false);
  const [outcome, setOutcome] = createSignal<Outcome>();
  const nameError = () => form.fieldError("cardholderName");

  async function pay(e: Event) {
    e.preventDefault();
    const h = fields.handles();
    if (!h || fields.invalid() || form.pending()) return;
    if (!form.check(fields.nameRefusal())) return;
    setOutcome(undefined);
    const paid = props.money(props.dueMinor);
    const r = await form.submit({ invoiceId: props.invoiceId, dueMinor: props.dueMinor, save: save(), ...h });
    if (r) setOutcome(outcomeOf(r, paid));
  }

  return (
    <>
      <Show when={outcome()}>{(o) => (o().ok ? <SuccessNotice>{o().text}</SuccessNotice> : <p class="banner banner-warning" role="alert">{o().text}</p>)}</Show>
      <Show when={fields.loadError() ?? (form.error() && !nameError() ? form.error() : undefined)}>{(err) => <ErrorNotice error={err()} title="The payment did not go through." />}</Show>
      <Show when={props.status === "unpaid"} fallback={<Show when={!outcome()?.ok}><p>Invoice {props.number} is {props.status}: there is nothing to pay.</p></Show>}>
        <p>Invoice {props.number}: {props.money(props.dueMinor)} due. Any balance in your wallet is used first; the card pays the rest.</p>
        <form novalidate onSubmit={pay}>
          <CardFieldInputs gateway={props.gateway} fields={fields} fieldError={form.fieldError} />
          <div class="check">
            <input id="save-new-card" type="checkbox" checked={save()} onChange={(e) => setSave(e.currentTarget.checked)} />
            <label for="save-new-card">Save this card for future payments</label>
          </div>
          <button type="submit" class="btn btn-primary" aria-disabled={form.pending() || !fields.ready() ? true : undefined} aria-busy={form.pending()}>
            {form.pending() ? "Paying…" : `Pay ${props.money(props.dueMinor)}`}
          </button>
        </form>
      </Show>
    </>
  );
}
