/**
 * Stripe.js's card fields under our labels (Card Number, Expiry Date, CVV Code), shared by Add a Card and Pay now
 * with a new card. Each field is an iframe of Stripe's origin: the number, expiry and CVC are typed there and go
 * to Stripe; this page hears only what Stripe.js tells it (brand, complete, errors) — docs/decisions/016-payments.md.
 * Only Payment Info's document may load Stripe.js (worker/routes/payment-page.ts), so both live on that page.
 */
import { Show, createSignal, onCleanup, onMount } from "solid-js";
import { brandLabel, type PaymentInfo } from "../../../worker/contract/payments";
import { FieldError } from "../../components/FieldError";
import { loadStripe, type StripeElement, type StripeJs } from "./stripe-js";

export type CardGateway = NonNullable<PaymentInfo["cardGateway"]>;

/** Loads Stripe.js and mounts its three fields once the view is in the page; destroys them on cleanup. */
export function useCardFields(gateway: CardGateway) {
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
    ready, loadError, brand, live,
    /** Stripe.js and the number field (the card element confirmations take), once mounted. */
    handles: (): { stripe: StripeJs; number: StripeElement } | undefined => (stripe && number ? { stripe, number } : undefined),
    /** True while a field shows its own complaint: nothing is sent. */
    invalid: () => Object.values(live()).some(Boolean),
  };
}

/** The three fields; `fieldError` adds the form's own refusals to what Stripe.js says. */
export function CardFieldInputs(props: { gateway: CardGateway; fields: ReturnType<typeof useCardFields>; fieldError?: (key: string) => string | undefined }) {
  const message = (key: string) => props.fields.live()[key] || props.fieldError?.(key);
  return (
    <>
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
