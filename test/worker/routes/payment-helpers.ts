/** Shared inputs and types of the payments route tests. */
import type Stripe from "stripe";
import { beforeAll, expect } from "vitest";
import type { AddCardResult, CardSettingsInput, Gateway, PaymentInfo, SaveStripeGatewayInput, VerifyResult } from "../../../worker/contract/payments";
import { yearOf } from "../../clock";
import { createOrg, createSubscription, createUser, createWorld, type World } from "../../factories";
import { browserClient, LOCAL_STRIPE_KEYS } from "../../local-stripe";

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

/** What Stripe.js does with typed card data: POST /v1/payment_methods with the publishable key (never via us). */
export async function typedCard(number: string, name = "Ada Lovelace"): Promise<string> {
  const amex = /^3[47]/.test(number);
  const pm = await browserClient().paymentMethods.create({
    type: "card",
    card: { number, exp_month: 12, exp_year: yearOf() + 3, cvc: amex ? "1234" : "123" } as Stripe.PaymentMethodCreateParams.Card,
    billing_details: { name },
  });
  return pm.id;
}

import { callerAs, type Call } from "../../helpers";

export const as = callerAs;
export type { Call };

/** Stripe enabled and verified against the local Stripe by this admin. */
export async function enableStripe(adminId: string, over: Partial<SaveStripeGatewayInput> = {}): Promise<void> {
  const res = await (await as(adminId))("PUT", "/api/billing/payment-gateways/stripe", stripeInput(over));
  const body = (await res.json()) as VerifyResult;
  if (!body.verified) throw new Error(`Stripe not verified: ${body.message}`);
}

/** Add a Card as the browser does it: PaymentMethod from the card fields, then our API. */
export async function addCard(call: Call, number: string): Promise<{ res: Response; body: AddCardResult & { error?: { code: string; message: string } } }> {
  const res = await call("POST", "/api/payment-info/cards", { paymentMethodId: await typedCard(number) });
  return { res, body: (await res.clone().json()) as AddCardResult & { error?: { code: string; message: string } } };
}

export const paymentInfo = async (call: Call): Promise<PaymentInfo> => (await (await call("GET", "/api/payment-info")).json()) as PaymentInfo;

/** A fresh customer organization with one user (card-attempt limits are per organization and per hour). */
export async function freshCustomer(opts: { subscription?: boolean } = {}): Promise<{ orgId: string; userId: string; call: Call }> {
  const org = await createOrg({ kind: "customer" });
  const user = await createUser({ orgId: org.id, role: "customer" });
  if (opts.subscription) await createSubscription(org.id);
  return { orgId: org.id, userId: user.id, call: await as(user.id) };
}

/** A Credit Card Settings body: the defaults, with `over` applied. */
export const cardSettingsInput = (over: Partial<CardSettingsInput> = {}): CardSettingsInput => ({
  enforceCard: false,
  exceptTrialCustomer: false,
  exemptOrgIds: [],
  linkMultipleAccounts: true,
  validityDeductionEnabled: false,
  validityDeduction: "",
  declineLimit: 3,
  ...over,
});

/** The file's world, its Stripe gateway on and Add a Card charging a Validity Deduction of 1.25 (Credit Card Settings). */
export function useValidityDeduction(): World {
  const world = {} as World;
  beforeAll(async () => {
    Object.assign(world, await createWorld());
    await enableStripe(world.admin.id);
    const res = await (await as(world.admin.id))("PUT", "/api/billing/card-settings", cardSettingsInput({ validityDeductionEnabled: true, validityDeduction: "1.25" }));
    expect(res.status).toBe(200);
  });
  return world;
}
