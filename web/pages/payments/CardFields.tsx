/**
 * The card forms' fields: Cardholder Name (ours, also on Update) and Stripe.js's card fields under our labels (Card
 * Number, Expiry Date, CVV Code), shared by Add a Card, Replace and Pay now with a new card. Each field is an iframe of Stripe's origin: the number, expiry and CVC are typed there and go
 * to Stripe; this page hears only what Stripe.js tells it (brand, complete, errors) — docs/decisions/016-payments.md.
 * Only Payment Info's document may load Stripe.js (worker/routes/payment-page.ts), so both live on that page.
 */
import { Show, createSignal, onCleanup, onMount } from "solid-js";
import { brandLabel, UpdateCardInput, type PaymentInfo } from "../../../worker/contract/payments";
import { Field, describedBy } from "../../components/Field";
import { FieldError } from "../../components/FieldError";
import { loadStripe, type StripeElement, type StripeJs } from "./stripe-js";

export type CardGateway = NonNullable<PaymentInfo["cardGateway"]>;

/** The server's rule for the name on a card (Update checks it there too), so every card form refuses alike. */
const CardholderName = UpdateCardInput.shape.cardholderName;

/** The form's field message for a name the server would refuse; empty when it is fine (for `useFormAction().check`). */
export function cardholderNameRefusal(name: string): Record<string, string> {
  const r = CardholderName.safeParse(name);
  return r.success ? {} : { cardholderName: r.error.issues[0]?.message ?? "Enter the name on the card." };
}

/** Cardholder Name: our own field (Stripe.js has none), the same in Add a Card, Replace, Update and Pay with a new card. */
export function CardholderNameField(props: { id?: string; value: string; onInput: (value: string) => void; error?: string }) {
  const id = () => props.id ?? "cardholder-name";
  return (
    <Field id={id()} label="Cardholder Name" error={props.error}>
      <input id={id()} type="text" autocomplete="cc-name" value={props.value} onInput={(e) => props.onInput(e.currentTarget.value)}
        aria-invalid={props.error ? true : undefined} aria-describedby={describedBy(id(), props.error)} />
    </Field>
  );
}

/**
 * Loads Stripe.js and mounts its three fields once the view is in the page; destroys them on cleanup. Holds the
 * Cardholder Name typed beside them.
 */
export function useCardFields(gateway: CardGateway) {
  const [name, setName] = createSignal("");
  // What Stripe.js's fields say while typing (their own checks).
  const [live, setLive] = createSignal<Record<string, string>>({});
  const [ready, setReady] = createSignal(false);
  const [loadError, setLoadError] = createSignal<unknown>();
  const [brand, setBrand] = createSignal("");
  let stripe: StripeJs | undefined;
  let number: StripeElement | undefined;
  const mounted: StripeElement[] = [];

  onMount(async () => {
    try {
      const Stripe = await loadStripe(gateway.stripeJsUrl);
      stripe = Stripe(gateway.publishableKey);
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

  return {
    ready, loadError, brand, live, name, setName,
    /** Stripe.js, the number field (the card element confirmations take) and the trimmed name, once mounted. */
    handles: (): { stripe: StripeJs; number: StripeElement; name: string } | undefined => (stripe && number ? { stripe, number, name: name().trim() } : undefined),
    /** True while a field shows its own complaint: nothing is sent. */
    invalid: () => Object.values(live()).some(Boolean),
    /** The Cardholder Name's refusal, if any (for `useFormAction().check`). */
    nameRefusal: () => cardholderNameRefusal(name()),
  };
}

/** Cardholder Name and the three Stripe.js fields; `fieldError` adds the form's own refusals to what Stripe.js says. */
export function CardFieldInputs(props: { gateway: CardGateway; fields: ReturnType<typeof useCardFields>; fieldError?: (key: string) => string | undefined }) {
  const message = (key: string) => props.fields.live()[key] || props.fieldError?.(key);
  return (
    <>
      <CardholderNameField value={props.fields.name()} onInput={props.fields.setName} error={props.fieldError?.("cardholderName")} />
      <div class="field">
        <label for="card-number">Card Number</label>
        <div id="card-number" class="card-field" />
        <p class="muted" aria-live="polite">{props.fields.brand() ? `Card type: ${props.fields.brand()}` : `Accepted: ${props.gateway.acceptedBrands.map(brandLabel).join(", ")}`}</p>
        <FieldError for="cardNumber" message={message("cardNumber")} />
      </div>
      <div class="field">
        <label for="card-expiry">Expiry Date</label>
        <div id="card-expiry" class="card-field" />
        <FieldError for="cardExpiry" message={message("cardExpiry")} />
      </div>
      <div class="field">
        <label for="card-cvc">CVV Code</label>
        <div id="card-cvc" class="card-field" />
        <FieldError for="cardCvc" message={message("cardCvc")} />
      </div>
      <Show when={props.gateway.securityBadge}><p class="security-badge"><span aria-hidden="true">🔒</span> Protected by Stripe</p></Show>
    </>
  );
}
