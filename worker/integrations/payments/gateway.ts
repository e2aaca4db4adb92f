/**
 * The payment gateway port (docs/decisions/016a-local-stripe.md). Billing code depends on this interface and on capabilities, never
 * on a gateway's name: Stripe (official SDK), a sandbox gateway for local use and the ADPAY hosted-page adapter
 * implement it in the payments issue. Nothing here talks to a network yet.
 *
 * Rules every adapter keeps:
 * - never receives or stores a card number or CVV: cards are tokenised by the gateway's own page/element;
 * - every charge carries an idempotency key derived from business identity (`pi:{invoiceId}:{attempt}`), and a
 *   timeout is resolved by replaying the same key or looking the payment up, never by a fresh attempt;
 * - amounts are integer minor units with an ISO 4217 currency.
 */

export type GatewayCapability = "tokenize" | "offSessionCharge" | "setupValidation" | "capture" | "refund" | "hostedPage" | "webhooks";

export interface CardSummary {
  gatewayPaymentMethodId: string;
  brand: string;
  last4: string;
  expMonth: number;
  expYear: number;
  /** Same card number → same fingerprint across customers (decline counting, shared-card rules). */
  fingerprint: string;
}

export type ChargeOutcome =
  | { status: "succeeded"; gatewayPaymentId: string }
  | { status: "requires_action"; gatewayPaymentId: string; clientSecret: string }
  | { status: "processing"; gatewayPaymentId: string }
  | { status: "declined"; gatewayPaymentId: string | null; declineCode: string; message: string; doNotRetry: boolean };

/**
 * A charge as the gateway holds it now (read back, never taken from a browser or a webhook body): its outcome in
 * the same words as `charge`, or one of the two states a charge reaches only after the fact — cancelled, or
 * waiting for a payment method (created for a new card, or its 3-D Secure failed and nothing was declined).
 */
export interface ChargeState {
  outcome: ChargeOutcome | { status: "canceled"; gatewayPaymentId: string } | { status: "requires_payment_method"; gatewayPaymentId: string; clientSecret: string };
  amountMinor: number;
  currency: string;
  metadata: Record<string, string>;
  /** The card it was paid or tried with (a new card entered in the gateway's fields has no row of ours yet). */
  paymentMethodId?: string | null;
  /** Set up for later payments (the customer ticked "Save this card for future payments"). */
  savesCard?: boolean;
}

export interface ChargeRequest {
  amountMinor: number;
  currency: string;
  gatewayCustomerId: string;
  gatewayPaymentMethodId: string;
  idempotencyKey: string;
  offSession: boolean;
  metadata: Record<string, string>;
}

export interface PaymentGateway {
  readonly id: string;
  readonly capabilities: ReadonlySet<GatewayCapability>;
  /** "Verify" in the gateway drawer: a read-only call that proves the credentials work. */
  testCredentials(): Promise<{ ok: true } | { ok: false; reason: string }>;
  ensureCustomer(input: { orgId: string; email: string; name: string; idempotencyKey: string }): Promise<{ gatewayCustomerId: string }>;
  createSetup(input: { gatewayCustomerId: string; idempotencyKey: string }): Promise<{ clientSecret: string }>;
  retrievePaymentMethod(gatewayPaymentMethodId: string): Promise<CardSummary>;
  charge(request: ChargeRequest): Promise<ChargeOutcome>;
  /** The charge as the gateway holds it now. */
  retrieveCharge(gatewayPaymentId: string): Promise<ChargeState>;
  /**
   * An on-session charge for a card the customer enters now in the gateway's own fields (Pay now with a new
   * card): created unconfirmed (`requires_payment_method`), its client secret confirmed by the browser's Stripe.js.
   */
  createOnSessionCharge(input: { amountMinor: number; currency: string; gatewayCustomerId: string; idempotencyKey: string; metadata: Record<string, string>; saveCard: boolean }): Promise<ChargeState>;
  /** Confirms a charge again with the customer present (3-D Secure asked off-session): it then waits for them. */
  confirmOnSession(input: { gatewayPaymentId: string; gatewayPaymentMethodId: string; idempotencyKey: string }): Promise<ChargeState>;
  /** Cancels a charge that has not succeeded; one that succeeded meanwhile comes back as it is. */
  cancelCharge(input: { gatewayPaymentId: string; idempotencyKey: string }): Promise<ChargeState>;
  capture(input: { gatewayPaymentId: string; amountMinor?: number; idempotencyKey: string }): Promise<ChargeOutcome>;
  refund(input: { gatewayPaymentId: string; amountMinor: number; idempotencyKey: string }): Promise<{ gatewayRefundId: string }>;
}

/**
 * A charge whose outcome is unknown (no answer, a dropped connection, a 5xx, a 429, the same key still in
 * flight): the caller replays the SAME idempotency key later, never a fresh attempt.
 */
export class GatewayTransientError extends Error {
  constructor(message: string, readonly rateLimited: boolean) {
    super(message);
    this.name = "GatewayTransientError";
  }
}

/** The gateway refused the request itself (not a card decline): bad parameters, a revoked key. Retrying the same request would fail again. */
export class GatewayRequestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "GatewayRequestError";
  }
}
