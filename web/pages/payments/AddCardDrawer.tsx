import { Show, createSignal, onCleanup, onMount } from "solid-js";
import { action, json } from "@solidjs/router";
import { brandLabel, type Card, type PaymentInfo } from "../../../worker/contract/payments";
import { addCard, CARD_QUERIES, confirmCard } from "../../api/payments";
import { useFormAction } from "../../forms";
import { Drawer } from "../../components/Drawer";
import { FieldError, errorIdFor } from "../../components/FieldError";
import { ErrorNotice } from "../../components/Notices";
import { loadStripe, type StripeElement, type StripeJs } from "./stripe-js";

type CardGateway = NonNullable<PaymentInfo["cardGateway"]>;

/**
 * Save in Stripe.js's fields: Stripe.js creates the PaymentMethod (the card never passes through this page), the
 * Worker confirms a SetupIntent with it, and 3-D Secure (if the bank asks) runs in Stripe.js before the Worker
 * stores the card. One action, so its pending state and refusal come from `useSubmission`.
 */
const saveNewCard = action(async (args: { stripe: StripeJs; number: StripeElement; name: string }) => {
  const created = await args.stripe.createPaymentMethod({ type: "card", card: args.number, billing_details: { name: args.name } });
  if (created.error || !created.paymentMethod) throw new Error(created.error?.message ?? "The card could not be read.");
  let result = await addCard(created.paymentMethod.id);
  if (result.status !== "saved") {
    const next = await args.stripe.handleNextAction({ clientSecret: result.clientSecret });
    if (next.error) throw new Error(next.error.message);
    result = await confirmCard(result.intentId);
    if (result.status !== "saved") throw new Error("Your bank did not confirm the card. Try again.");
  }
  return json(result.card, { revalidate: CARD_QUERIES });
}, "addCard");

/**
 * "Add a Card": Cardholder Name is ours; Card Number, Expiry Date and CVV Code are Stripe.js fields (iframes of
 * Stripe's origin) mounted under our labels. `title` names the drawer when it replaces a card.
 */
export function AddCardDrawer(props: { gateway: CardGateway; validityDeduction: string | null; title?: string; onClose: () => void; onSaved: (card: Card) => void }) {
  const [name, setName] = createSignal("");
  // What Stripe.js's fields say while typing (their own checks); the form's refusals come from the action.
  const [live, setLive] = createSignal<Record<string, string>>({});
  const form = useFormAction(saveNewCard);
  const [ready, setReady] = createSignal(false);
  const [loadError, setLoadError] = createSignal<unknown>();
  const [brand, setBrand] = createSignal("");
  let stripe: StripeJs | undefined;
  let number: StripeElement | undefined;
  const mounted: StripeElement[] = [];
  const fieldError = (key: string) => live()[key] || form.fieldError(key);

  onMount(async () => {
    try {
      const Stripe = await loadStripe(props.gateway.stripeJsUrl);
      stripe = Stripe(props.gateway.publishableKey);
      const elements = stripe.elements();
      number = elements.create("cardNumber", { showIcon: true });
      const at: Array<[StripeElement, string, string]> = [[number, "#card-number", "cardNumber"], [elements.create("cardExpiry"), "#card-expiry", "cardExpiry"], [elements.create("cardCvc"), "#card-cvc", "cardCvc"]];
      for (const [el, selector, key] of at) {
        el.mount(selector);
        mounted.push(el);
        el.on("change", (e) => {
          setLive({ ...live(), [key]: e.error?.message ?? "" });
          if (key === "cardNumber") setBrand(e.brand && e.brand !== "unknown" ? brandLabel(e.brand) : "");
        });
      }
      setReady(true);
    } catch (err) {
      setLoadError(err);
    }
  });
  onCleanup(() => mounted.forEach((el) => el.destroy()));

  async function save(e: Event) {
    e.preventDefault();
    if (!stripe || !number) return;
    if (Object.values(live()).some(Boolean)) return;
    if (!form.check(name().trim() ? {} : { cardholderName: "Enter the name on the card." })) return;
    const card = await form.submit({ stripe, number, name: name().trim() });
    if (card) props.onSaved(card);
  }

  return (
    <Drawer open title={props.title ?? "Add a Card"} onClose={props.onClose}
      footer={<>
        <button type="button" class="btn" onClick={() => props.onClose()}>Cancel</button>
        <button type="submit" form="add-card-form" class="btn btn-primary" aria-disabled={form.pending() || !ready() ? true : undefined}>{form.pending() ? "Saving…" : "Save"}</button>
      </>}>
      <Show when={loadError() ?? (form.error() && !form.fieldError("cardholderName") ? form.error() : undefined)}>{(err) => <ErrorNotice error={err()} title="The card was not saved." />}</Show>
      <form id="add-card-form" novalidate onSubmit={save}>
        <div class="field">
          <label for="cardholder-name">Cardholder Name</label>
          <input id="cardholder-name" type="text" autocomplete="cc-name" value={name()} aria-invalid={fieldError("cardholderName") ? true : undefined} aria-describedby={errorIdFor("cardholderName", fieldError("cardholderName"))} onInput={(e) => setName(e.currentTarget.value)} />
          <FieldError for="cardholderName" message={fieldError("cardholderName")} />
        </div>
        <div class="field">
          <label for="card-number">Card Number</label>
          <div id="card-number" class="card-field" />
          <p class="muted" aria-live="polite">{brand() ? `Card type: ${brand()}` : `Accepted: ${props.gateway.acceptedBrands.map(brandLabel).join(", ")}`}</p>
          <FieldError for="cardNumber" message={fieldError("cardNumber")} />
        </div>
        <div class="field">
          <label for="card-expiry">Expiry Date</label>
          <div id="card-expiry" class="card-field" />
          <FieldError for="cardExpiry" message={fieldError("cardExpiry")} />
        </div>
        <div class="field">
          <label for="card-cvc">CVV Code</label>
          <div id="card-cvc" class="card-field" />
          <FieldError for="cardCvc" message={fieldError("cardCvc")} />
        </div>
        <Show when={props.validityDeduction}>
          <p class="muted">Saving the card charges {props.validityDeduction} to check it; the amount is credited to your wallet.</p>
        </Show>
        <Show when={props.gateway.securityBadge}><p class="security-badge"><span aria-hidden="true">🔒</span> Protected by Stripe</p></Show>
      </form>
    </Drawer>
  );
}
