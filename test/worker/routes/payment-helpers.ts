/** Shared inputs and types of the payments route tests. */
import type { Gateway, SaveStripeGatewayInput, VerifyResult } from "../../../worker/contract/payments";
import { LOCAL_STRIPE_KEYS } from "../../local-stripe";

export type { VerifyResult };
export type GatewayList = { items: Gateway[] };

export const stripeInput = (over: Partial<SaveStripeGatewayInput> = {}): SaveStripeGatewayInput => ({
  enabled: true,
  publicKey: LOCAL_STRIPE_KEYS.publishableKey,
  secretKey: LOCAL_STRIPE_KEYS.secretKey,
  webhookSecret: LOCAL_STRIPE_KEYS.webhookSecret,
  acceptedBrands: ["visa", "mastercard", "amex", "discover"],
  securityBadge: true,
  ...over,
});
