import { Show } from "solid-js";
import { action, json } from "@solidjs/router";
import type { Card } from "../../../worker/contract/payments";
import { addCard, CARD_QUERIES, confirmCard } from "../../api/payments";
import { useFormAction } from "../../forms";
import { Drawer } from "../../components/Drawer";
import { outsideTopLayer } from "../../components/modal";
import { ErrorNotice } from "../../components/Notices";
import { CardFieldInputs, useCardFields, type CardGateway } from "./CardFields";
import type { StripeElement, StripeJs } from "./stripe-js";

/**
 * Save in Stripe.js's fields: Stripe.js creates the PaymentMethod (the card never passes through this page), the
 * Worker confirms a SetupIntent with it, and 3-D Secure (if the bank asks) runs in Stripe.js before the Worker
 * stores the card. One action, so its pending state and refusal come from `useSubmission`. Stripe.js's 3-D Secure
 * modal is drawn in the page, beneath our drawer's top layer: the drawer steps out of it for the bank's check
 * (`outsideTopLayer`, web/components/modal.ts).
 */
const saveNewCard = action(async (args: { stripe: StripeJs; number: StripeElement; name: string; form: HTMLElement }) => {
  const created = await args.stripe.createPaymentMethod({ type: "card", card: args.number, billing_details: { name: args.name } });
  if (created.error || !created.paymentMethod) throw new Error(created.error?.message ?? "The card could not be read.");
  let result = await addCard(created.paymentMethod.id);
  if (result.status !== "saved") {
    const secret = result.clientSecret;
    const next = await outsideTopLayer(args.form, () => args.stripe.handleNextAction({ clientSecret: secret }));
    if (next.error) throw new Error(next.error.message);
    result = await confirmCard(result.intentId);
    if (result.status !== "saved") throw new Error("Your bank did not confirm the card. Try again.");
  }
  return json(result.card, { revalidate: CARD_QUERIES });
}, "addCard");

/**
 * "Add a Card": Cardholder Name is ours (web/pages/payments/CardFields.tsx); Card Number, Expiry Date and CVV Code are Stripe.js fields (iframes of
 * Stripe's origin) mounted under our labels. `title` names the drawer when it replaces a card.
 */
export function AddCardDrawer(props: { gateway: CardGateway; validityDeduction: string | null; title?: string; onClose: () => void; onSaved: (card: Card) => void }) {
  const form = useFormAction(saveNewCard);
  const fields = useCardFields(props.gateway);
  let formEl!: HTMLFormElement;
  const nameError = () => form.fieldError("cardholderName");

  async function save(e: Event) {
    e.preventDefault();
    const h = fields.handles();
    if (!h || fields.invalid()) return;
    if (!form.check(fields.nameRefusal())) return;
    const card = await form.submit({ ...h, form: formEl });
    if (card) props.onSaved(card);
  }

  return (
    <Drawer open title={props.title ?? "Add a Card"} onClose={props.onClose}
      footer={<>
        <button type="button" class="btn" onClick={() => props.onClose()}>Cancel</button>
        <button type="submit" form="add-card-form" class="btn btn-primary" aria-disabled={form.pending() || !fields.ready() ? true : undefined}>{form.pending() ? "Saving…" : "Save"}</button>
      </>}>
      <Show when={fields.loadError() ?? (form.error() && !nameError() ? form.error() : undefined)}>{(err) => <ErrorNotice error={err()} title="The card was not saved." />}</Show>
      <form id="add-card-form" ref={formEl} novalidate onSubmit={save}>
        <CardFieldInputs gateway={props.gateway} fields={fields} fieldError={form.fieldError} />
        <Show when={props.validityDeduction}>
          <p class="muted">Saving the card charges {props.validityDeduction} to check it; the amount is credited to your wallet.</p>
        </Show>
      </form>
    </Drawer>
  );
}
