import { Show, createSignal, onCleanup, onMount } from "solid-js";
import { brandLabel, type Card, type PaymentInfo } from "../../../worker/contract/payments";
import { addCard, confirmCard, refreshPaymentInfo } from "../../api/payments";
import { isApiError } from "../../api/client";
import { Drawer } from "../../components/Drawer";
import { FieldError, errorIdFor } from "../../components/FieldError";
import { ErrorNotice } from "../../components/Notices";
import { loadStripe, type StripeElement, type StripeJs } from "./stripe-js";

type CardGateway = NonNullable<PaymentInfo["cardGateway"]>;

/**
 * "Add a Card": Cardholder Name is ours; Card Number, Expiry Date and CVV Code are Stripe.js fields (iframes of
 * Stripe's origin) mounted under our labels. Save: Stripe.js creates the PaymentMethod, the Worker confirms a
 * SetupIntent with it, and 3-D Secure (if the bank asks) runs in Stripe.js before the Worker stores the card.
 */
export function AddCardDrawer(props: { gateway: CardGateway; validityDeduction: string | null; onClose: () => void; onSaved: (card: Card) => void }) {
  const [name, setName] = createSignal("");
  const [fields, setFields] = createSignal<Record<string, string>>({});
  const [error, setError] = createSignal<unknown>();
  const [pending, setPending] = createSignal(false);
  const [ready, setReady] = createSignal(false);
  const [brand, setBrand] = createSignal("");
  let stripe: StripeJs | undefined;
  let number: StripeElement | undefined;
  const mounted: StripeElement[] = [];

  onMount(async () => {
    try {
      const Stripe = await loadStripe(props.gateway.stripeJsUrl);
      stripe = Stripe(props.gateway.publishableKey);
      const elements = stripe.elements();
      number = elements.create("cardNumber", { showIcon: true });
      const expiry = elements.create("cardExpiry");
      const cvc = elements.create("cardCvc");
      const at: Array<[StripeElement, string, string]> = [[number, "#card-number", "cardNumber"], [expiry, "#card-expiry", "cardExpiry"], [cvc, "#card-cvc", "cardCvc"]];
      for (const [el, selector, key] of at) {
        el.mount(selector);
        mounted.push(el);
        el.on("change", (e) => {
          setFields({ ...fields(), [key]: e.error?.message ?? "" });
          if (key === "cardNumber") setBrand(e.brand && e.brand !== "unknown" ? brandLabel(e.brand) : "");
        });
      }
      setReady(true);
    } catch (err) {
      setError(err);
    }
  });
  onCleanup(() => mounted.forEach((el) => el.destroy()));

  async function finish(result: Awaited<ReturnType<typeof addCard>>): Promise<Card> {
    if (result.status === "saved") return result.card;
    const action = await stripe!.handleNextAction({ clientSecret: result.clientSecret });
    if (action.error) throw new Error(action.error.message);
    const confirmed = await confirmCard(result.intentId);
    if (confirmed.status !== "saved") throw new Error("Your bank did not confirm the card. Try again.");
    return confirmed.card;
  }

  async function save(e: Event) {
    e.preventDefault();
    if (pending() || !stripe || !number) return;
    const problems = Object.fromEntries(Object.entries(fields()).filter(([, v]) => v));
    if (!name().trim()) problems.cardholderName = "Enter the name on the card.";
    setFields(problems);
    if (Object.keys(problems).length) return;
    setPending(true);
    setError(undefined);
    try {
      const created = await stripe.createPaymentMethod({ type: "card", card: number, billing_details: { name: name().trim() } });
      if (created.error || !created.paymentMethod) throw new Error(created.error?.message ?? "The card could not be read.");
      const card = await finish(await addCard(created.paymentMethod.id));
      await refreshPaymentInfo();
      props.onSaved(card);
    } catch (err) {
      if (isApiError(err) && err.fields) setFields(err.fields);
      setError(err);
    } finally {
      setPending(false);
    }
  }

  return (
    <Drawer open title="Add a Card" onClose={props.onClose}
      footer={<>
        <button type="button" class="btn" onClick={() => props.onClose()}>Cancel</button>
        <button type="submit" form="add-card-form" class="btn btn-primary" aria-disabled={pending() || !ready() ? true : undefined}>{pending() ? "Saving…" : "Save"}</button>
      </>}>
      <Show when={error()}><ErrorNotice error={error()} title="The card was not saved." /></Show>
      <form id="add-card-form" novalidate onSubmit={save}>
        <div class="field">
          <label for="cardholder-name">Cardholder Name</label>
          <input id="cardholder-name" type="text" autocomplete="cc-name" value={name()} aria-describedby={errorIdFor("cardholderName", fields().cardholderName)} onInput={(e) => setName(e.currentTarget.value)} />
          <FieldError for="cardholderName" message={fields().cardholderName} />
        </div>
        <div class="field">
          <label for="card-number">Card Number</label>
          <div id="card-number" class="card-field" />
          <p class="muted" aria-live="polite">{brand() ? `Card type: ${brand()}` : `Accepted: ${props.gateway.acceptedBrands.map(brandLabel).join(", ")}`}</p>
          <FieldError for="cardNumber" message={fields().cardNumber} />
        </div>
        <div class="field">
          <label for="card-expiry">Expiry Date</label>
          <div id="card-expiry" class="card-field" />
          <FieldError for="cardExpiry" message={fields().cardExpiry} />
        </div>
        <div class="field">
          <label for="card-cvc">CVV Code</label>
          <div id="card-cvc" class="card-field" />
          <FieldError for="cardCvc" message={fields().cardCvc} />
        </div>
        <Show when={props.validityDeduction}>
          <p class="muted">Saving the card charges {props.validityDeduction} to check it; the amount is credited to your wallet.</p>
        </Show>
        <Show when={props.gateway.securityBadge}><p class="security-badge"><span aria-hidden="true">🔒</span> Protected by Stripe</p></Show>
      </form>
    </Drawer>
  );
}
