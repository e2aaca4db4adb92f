/**
 * The Stripe adapter of the gateway port (gateway.ts), on the official SDK with its fetch client (workerd has no
 * node:http). Where Stripe is comes from configuration (STRIPE_API_HOST/PORT/PROTOCOL, worker/env.ts): unset in
 * production, the local Stripe (test/fakes/stripe, ADR 016a) under `npm start` and in the tests.
 *
 * Every call that creates something carries an idempotency key derived from business identity, so a retry after
 * a timeout replays instead of creating a second customer, SetupIntent or charge (docs/decisions/016-payments.md).
 */
import type Stripe from "stripe";
import type { Config } from "../../env";
import { GatewayRequestError, GatewayTransientError, type CardSummary, type ChargeOutcome, type ChargeRequest, type ChargeState, type GatewayCapability, type PaymentGateway } from "./gateway";

export const STRIPE_CAPABILITIES: ReadonlySet<GatewayCapability> = new Set(["tokenize", "offSessionCharge", "setupValidation", "capture", "refund", "webhooks"]);

type StripeModule = typeof Stripe;
type StripeErrors = StripeModule["errors"];
type StripeErrorName = { [K in keyof StripeErrors]: StripeErrors[K] extends abstract new (...args: never[]) => Error ? K : never }[keyof StripeErrors];
let sdkModule: StripeModule | undefined;

/**
 * The SDK (250 KiB), evaluated when a payment first needs it rather than in the Worker's global scope
 * (docs/decisions/014c-startup-and-bench-baseline.md).
 */
export async function loadStripe(): Promise<StripeModule> {
  sdkModule ??= (await import("stripe")).default;
  return sdkModule;
}

/** `err instanceof Stripe.errors[name]`. Only the SDK throws its errors, so before it is loaded this is false. */
export function isStripeError<K extends StripeErrorName>(err: unknown, name: K): err is InstanceType<StripeErrors[K]> {
  return sdkModule !== undefined && err instanceof (sdkModule.errors[name] as abstract new (...args: never[]) => Error);
}

export async function stripeSdk(config: Config, secretKey: string): Promise<Stripe> {
  const Stripe = await loadStripe();
  return new Stripe(secretKey, {
    httpClient: Stripe.createFetchHttpClient(),
    ...(config.STRIPE_API_HOST ? { host: config.STRIPE_API_HOST } : {}),
    ...(config.STRIPE_API_PORT ? { port: config.STRIPE_API_PORT } : {}),
    ...(config.STRIPE_API_PROTOCOL ? { protocol: config.STRIPE_API_PROTOCOL } : {}),
    // One SDK retry for network errors and 409/429/5xx; it reuses the same idempotency key.
    maxNetworkRetries: 1,
    timeout: 20_000,
  });
}

/** Stripe.js's URL for the portal: Stripe's own unless configured (the local Stripe's /v3/). */
export const stripeJsUrl = (config: Config): string => config.STRIPE_JS_URL ?? "https://js.stripe.com/v3/";

/** A Stripe error in words a person understands (the drawer's Verify, card errors). */
export function stripeErrorInWords(err: unknown): string {
  if (!isStripeError(err, "StripeError")) return "Unexpected error while talking to Stripe.";
  switch (err.type) {
    case "StripeAuthenticationError":
      return `Stripe refused the secret key: it is wrong, revoked or from another account (${err.message}).`;
    case "StripePermissionError":
      return "The key is valid but may not read the account balance; a restricted key needs at least “Balance: Read”.";
    case "StripeConnectionError":
      return "Could not reach Stripe (network error or timeout). Check the Worker's outbound network and try again.";
    case "StripeRateLimitError":
      return "Stripe is limiting requests right now; try again in a minute.";
    case "StripeAPIError":
      return "Stripe answered with an internal error; try again in a minute.";
    case "StripeCardError":
      return err.message;
    default:
      return `Stripe refused the request: ${err.message}`;
  }
}

export function cardSummary(pm: Stripe.PaymentMethod): CardSummary {
  const card = pm.card;
  if (!card) throw new Error(`${pm.id} is not a card`);
  return {
    gatewayPaymentMethodId: pm.id,
    brand: card.brand,
    last4: card.last4,
    expMonth: card.exp_month,
    expYear: card.exp_year,
    fingerprint: card.fingerprint ?? `pm:${pm.id}`,
  };
}

function outcomeOf(pi: Stripe.PaymentIntent): ChargeOutcome {
  if (pi.status === "succeeded") return { status: "succeeded", gatewayPaymentId: pi.id };
  if (pi.status === "requires_action") return { status: "requires_action", gatewayPaymentId: pi.id, clientSecret: pi.client_secret ?? "" };
  if (pi.status === "processing" || pi.status === "requires_capture") return { status: "processing", gatewayPaymentId: pi.id };
  const e = pi.last_payment_error;
  return { status: "declined", gatewayPaymentId: pi.id, declineCode: e?.decline_code ?? e?.code ?? "declined", message: e?.message ?? "The card was declined.", doNotRetry: isDoNotRetry(e?.decline_code) };
}

function stateOf(pi: Stripe.PaymentIntent): ChargeState {
  const pm = pi.payment_method ?? pi.last_payment_error?.payment_method ?? null;
  const base = { amountMinor: pi.amount, currency: pi.currency.toUpperCase(), metadata: pi.metadata ?? {}, paymentMethodId: typeof pm === "string" ? pm : (pm?.id ?? null), savesCard: !!pi.setup_future_usage };
  if (pi.status === "canceled") return { ...base, outcome: { status: "canceled", gatewayPaymentId: pi.id } };
  if (pi.status === "requires_payment_method" && !pi.last_payment_error) return { ...base, outcome: { status: "requires_payment_method", gatewayPaymentId: pi.id, clientSecret: pi.client_secret ?? "" } };
  return { ...base, outcome: outcomeOf(pi) };
}

const DO_NOT_RETRY = new Set(["lost_card", "stolen_card", "pickup_card", "fraudulent", "restricted_card", "invalid_account", "new_account_information_available", "do_not_honor", "revocation_of_authorization"]);
const isDoNotRetry = (code: string | undefined | null) => !!code && DO_NOT_RETRY.has(code);

function declineFrom(err: unknown): ChargeOutcome | null {
  if (!isStripeError(err, "StripeCardError")) return null;
  const raw = err.raw as { payment_intent?: Stripe.PaymentIntent } | undefined;
  if (raw?.payment_intent?.status === "requires_action") return outcomeOf(raw.payment_intent);
  const code = err.decline_code ?? err.code ?? "card_declined";
  return { status: "declined", gatewayPaymentId: raw?.payment_intent?.id ?? null, declineCode: code, message: err.message, doNotRetry: isDoNotRetry(code) };
}

/** No answer, a 5xx, a 429 or the same key still in flight: the outcome is unknown (replay the key later). */
function portError(err: unknown): Error {
  if (!isStripeError(err, "StripeError")) return new GatewayTransientError(String(err instanceof Error ? err.message : err), false);
  const e = err; // stays a StripeError: the checks below narrow `err` alone
  const inFlight = isStripeError(err, "StripeIdempotencyError") && /in-progress|in progress/i.test(e.message);
  if (isStripeError(err, "StripeConnectionError") || isStripeError(err, "StripeAPIError") || inFlight || (e.statusCode ?? 0) >= 500) return new GatewayTransientError(e.message, false);
  if (isStripeError(err, "StripeRateLimitError")) return new GatewayTransientError(e.message, true);
  return new GatewayRequestError(stripeErrorInWords(e));
}

export class StripeGateway implements PaymentGateway {
  readonly id = "stripe";
  readonly capabilities = STRIPE_CAPABILITIES;
  constructor(readonly sdk: Stripe) {}

  async testCredentials(): Promise<{ ok: true } | { ok: false; reason: string }> {
    try {
      await this.sdk.balance.retrieve(); // read-only; allowed to restricted keys with Balance: Read
      return { ok: true };
    } catch (err) {
      return { ok: false, reason: stripeErrorInWords(err) };
    }
  }

  async ensureCustomer(input: { orgId: string; email: string; name: string; idempotencyKey: string }) {
    const customer = await this.sdk.customers.create({ email: input.email, name: input.name, metadata: { org_id: input.orgId } }, { idempotencyKey: input.idempotencyKey });
    return { gatewayCustomerId: customer.id };
  }

  async createSetup(input: { gatewayCustomerId: string; idempotencyKey: string }) {
    const si = await this.sdk.setupIntents.create({ customer: input.gatewayCustomerId, usage: "off_session" }, { idempotencyKey: input.idempotencyKey });
    return { clientSecret: si.client_secret ?? "" };
  }

  async retrievePaymentMethod(id: string): Promise<CardSummary> {
    return cardSummary(await this.sdk.paymentMethods.retrieve(id));
  }

  /** Off- or on-session charge (issue 11 collects with it); a timeout is resolved by replaying the same key. */
  async charge(request: ChargeRequest): Promise<ChargeOutcome> {
    try {
      const pi = await this.sdk.paymentIntents.create(
        { amount: request.amountMinor, currency: request.currency.toLowerCase(), customer: request.gatewayCustomerId, payment_method: request.gatewayPaymentMethodId, confirm: true, off_session: request.offSession, metadata: request.metadata },
        { idempotencyKey: request.idempotencyKey },
      );
      return outcomeOf(pi);
    } catch (err) {
      const declined = declineFrom(err);
      if (declined) return declined;
      throw portError(err);
    }
  }

  async retrieveCharge(gatewayPaymentId: string): Promise<ChargeState> {
    try {
      return stateOf(await this.sdk.paymentIntents.retrieve(gatewayPaymentId));
    } catch (err) {
      throw portError(err);
    }
  }

  async createOnSessionCharge(input: { amountMinor: number; currency: string; gatewayCustomerId: string; idempotencyKey: string; metadata: Record<string, string>; saveCard: boolean }): Promise<ChargeState> {
    try {
      return stateOf(await this.sdk.paymentIntents.create(
        { amount: input.amountMinor, currency: input.currency.toLowerCase(), customer: input.gatewayCustomerId, metadata: input.metadata, ...(input.saveCard ? { setup_future_usage: "off_session" as const } : {}) },
        { idempotencyKey: input.idempotencyKey },
      ));
    } catch (err) {
      throw portError(err);
    }
  }

  async confirmOnSession(input: { gatewayPaymentId: string; gatewayPaymentMethodId: string; idempotencyKey: string }): Promise<ChargeState> {
    try {
      return stateOf(await this.sdk.paymentIntents.confirm(input.gatewayPaymentId, { payment_method: input.gatewayPaymentMethodId, off_session: false }, { idempotencyKey: input.idempotencyKey }));
    } catch (err) {
      const raw = isStripeError(err, "StripeError") ? (err.raw as { payment_intent?: Stripe.PaymentIntent } | undefined) : undefined;
      if (raw?.payment_intent) return stateOf(raw.payment_intent);
      throw portError(err);
    }
  }

  async cancelCharge(input: { gatewayPaymentId: string; idempotencyKey: string }): Promise<ChargeState> {
    try {
      return stateOf(await this.sdk.paymentIntents.cancel(input.gatewayPaymentId, {}, { idempotencyKey: input.idempotencyKey }));
    } catch (err) {
      // Succeeded or already cancelled meanwhile: "unexpected state" carries the intent as it is.
      const raw = isStripeError(err, "StripeError") ? (err.raw as { payment_intent?: Stripe.PaymentIntent } | undefined) : undefined;
      if (raw?.payment_intent) return stateOf(raw.payment_intent);
      throw portError(err);
    }
  }

  async capture(input: { gatewayPaymentId: string; amountMinor?: number; idempotencyKey: string }): Promise<ChargeOutcome> {
    const pi = await this.sdk.paymentIntents.capture(input.gatewayPaymentId, input.amountMinor === undefined ? {} : { amount_to_capture: input.amountMinor }, { idempotencyKey: input.idempotencyKey });
    return outcomeOf(pi);
  }

  async refund(input: { gatewayPaymentId: string; amountMinor: number; idempotencyKey: string }) {
    const refund = await this.sdk.refunds.create({ payment_intent: input.gatewayPaymentId, amount: input.amountMinor }, { idempotencyKey: input.idempotencyKey });
    return { gatewayRefundId: refund.id };
  }
}
