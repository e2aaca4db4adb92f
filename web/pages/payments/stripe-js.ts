/**
 * Loads Stripe.js from the URL the Worker gives (Stripe's own in production, the local Stripe under `npm start`)
 * and exposes the small part of its API the portal uses. The card number, expiry and CVC live in Stripe's iframes:
 * this page only ever sees the PaymentMethod id Stripe.js returns (docs/decisions/016-payments.md).
 */
export interface StripeElement {
  mount(selector: string | HTMLElement): void;
  destroy(): void;
  on(event: "change", handler: (e: { complete: boolean; empty: boolean; brand?: string; error?: { message: string } }) => void): void;
  focus(): void;
}
export interface StripeJs {
  elements(): { create(kind: "cardNumber" | "cardExpiry" | "cardCvc", options?: Record<string, unknown>): StripeElement };
  createPaymentMethod(data: { type: "card"; card: StripeElement; billing_details: { name: string } }): Promise<{ paymentMethod?: { id: string }; error?: { message: string; code?: string } }>;
  handleNextAction(options: { clientSecret: string }): Promise<{ error?: { message: string } }>;
  /** Confirms an on-session PaymentIntent with the card fields; 3-D Secure runs inside the call (its own modal). */
  confirmCardPayment(clientSecret: string, data: { payment_method: { card: StripeElement; billing_details: { name: string } } }): Promise<{ paymentIntent?: { status: string }; error?: { message: string; code?: string } }>;
}

let loading: Promise<(key: string) => StripeJs> | undefined;

export function loadStripe(url: string): Promise<(key: string) => StripeJs> {
  loading ??= new Promise((resolve, reject) => {
    const script = document.createElement("script");
    script.src = url;
    script.async = true;
    script.onload = () => {
      const ctor = (window as unknown as { Stripe?: (key: string) => StripeJs }).Stripe;
      if (ctor) resolve(ctor);
      else reject(new Error("Stripe.js did not load."));
    };
    script.onerror = () => {
      loading = undefined;
      reject(new Error("Stripe.js could not be loaded; check your connection and reload the page."));
    };
    document.head.appendChild(script);
  });
  return loading;
}
