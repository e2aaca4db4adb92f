/**
 * Payments API shapes: Payment Gateways (Stripe, ADPAY), cards ("Payment Info") and "Credit Card Settings".
 * Runtime-neutral: the routes validate with these schemas and the portal's forms use the same ones.
 * No schema here has a card number or CVV field, and none ever may (docs/decisions/016-payments.md).
 */
import { z } from "zod";

export const GATEWAY_IDS = ["stripe", "adpay"] as const;
export type GatewayId = (typeof GATEWAY_IDS)[number];
export const GATEWAY_LABELS: Record<GatewayId, string> = { stripe: "Stripe", adpay: "ADPAY" };

/** What a gateway can do; features check these, never a gateway's name. */
export const CAPABILITIES = ["tokenize", "offSessionCharge", "setupValidation", "capture", "refund", "hostedPage", "webhooks"] as const;
export type Capability = (typeof CAPABILITIES)[number];

/** Stripe's card brands (PaymentMethod `card.brand`), with the manual's labels first. */
export const CARD_BRANDS = ["visa", "mastercard", "amex", "discover", "diners", "jcb", "unionpay"] as const;
export type CardBrand = (typeof CARD_BRANDS)[number];
export const CARD_BRAND_LABELS: Record<CardBrand, string> = {
  visa: "VISA",
  mastercard: "Master Card",
  amex: "American Express",
  discover: "Discover",
  diners: "Diners Club",
  jcb: "JCB",
  unionpay: "UnionPay",
};
export const brandLabel = (brand: string): string => CARD_BRAND_LABELS[brand as CardBrand] ?? brand;
/** How a card is named everywhere (portal, emails, audit): "VISA •••• 4242". */
export const cardLabel = (card: { brand: string; last4: string }): string => `${brandLabel(card.brand)} •••• ${card.last4}`;

export const STRIPE_SECRET_KEY = /^(sk|rk)_(test|live)_[A-Za-z0-9_]{8,}$/;
export const STRIPE_PUBLIC_KEY = /^pk_(test|live)_[A-Za-z0-9_]{8,}$/;
export const STRIPE_WEBHOOK_SECRET = /^whsec_[A-Za-z0-9_]{8,}$/;
export const ADPAY_API_KEY = /^adpk_(test|live)_[A-Za-z0-9_]{4,}$/;

/** "test" / "live" from a key's prefix, or null when it has none. */
export function keyMode(key: string): "test" | "live" | null {
  const m = /^[a-z]+_(test|live)_/.exec(key);
  return m ? (m[1] as "test" | "live") : null;
}

/** Secret fields: empty keeps the saved value (they are never sent back to the portal). */
const keepOr = (re: RegExp, message: string) => z.string().trim().max(255).refine((v) => v === "" || re.test(v), message);

export const SaveStripeGatewayInput = z.object({
  enabled: z.boolean(),
  publicKey: z.string().trim().max(255).refine((v) => v === "" || STRIPE_PUBLIC_KEY.test(v), "Enter the publishable key from the Stripe Dashboard (it starts with pk_test_ or pk_live_)."),
  secretKey: keepOr(STRIPE_SECRET_KEY, "Enter the secret key (sk_…) or a restricted key (rk_…) from the Stripe Dashboard."),
  webhookSecret: keepOr(STRIPE_WEBHOOK_SECRET, "Enter the endpoint's signing secret (it starts with whsec_)."),
  acceptedBrands: z.array(z.enum(CARD_BRANDS)).max(CARD_BRANDS.length),
  securityBadge: z.boolean(),
});
export type SaveStripeGatewayInput = z.infer<typeof SaveStripeGatewayInput>;

export const SaveAdpayGatewayInput = z.object({
  enabled: z.boolean(),
  merchantId: z.string().trim().max(64).refine((v) => v === "" || /^[A-Za-z0-9._-]{1,64}$/.test(v), "Use the Merchant ID ADPAY gave you (letters, digits, . _ -)."),
  apiKey: keepOr(ADPAY_API_KEY, "Enter the API key (it starts with adpk_test_ or adpk_live_)."),
  secret: z.string().trim().max(255),
});
export type SaveAdpayGatewayInput = z.infer<typeof SaveAdpayGatewayInput>;

const SecretHint = z.object({ set: z.boolean(), last4: z.string().nullable() });

export const GatewaySchema = z.object({
  id: z.enum(GATEWAY_IDS),
  label: z.string(),
  enabled: z.boolean(),
  mode: z.enum(["test", "live"]).nullable(),
  /** Enabled, and the last Verify succeeded: what customers may use. */
  active: z.boolean(),
  status: z.string(),
  capabilities: z.array(z.enum(CAPABILITIES)),
  verifiedAt: z.string().nullable(),
  verifyError: z.string().nullable(),
  updatedAt: z.string().nullable(),
  stripe: z
    .object({
      publicKey: z.string(),
      secretKey: SecretHint,
      webhookSecret: SecretHint,
      acceptedBrands: z.array(z.enum(CARD_BRANDS)),
      securityBadge: z.boolean(),
      webhookUrl: z.string(),
      webhookEvents: z.array(z.string()),
    })
    .optional(),
  adpay: z.object({ merchantId: z.string(), apiKey: SecretHint, secret: SecretHint, callbackUrl: z.string() }).optional(),
});
export type Gateway = z.infer<typeof GatewaySchema>;

export const GatewayListSchema = z.object({ items: z.array(GatewaySchema) });

export const VerifyResultSchema = z.object({ gateway: GatewaySchema, verified: z.boolean(), message: z.string() });
export type VerifyResult = z.infer<typeof VerifyResultSchema>;

/** The Stripe events Cumulus handles (README: "connect a real Stripe account" lists them). */
export const STRIPE_WEBHOOK_EVENTS = [
  "setup_intent.succeeded",
  "setup_intent.setup_failed",
  "payment_method.attached",
  "payment_method.detached",
  "payment_method.updated",
  "payment_method.automatically_updated",
  "payment_intent.succeeded",
  "payment_intent.payment_failed",
  "payment_intent.requires_action",
  "payment_intent.canceled",
  "charge.refunded",
  "charge.dispute.created",
] as const;

// ── Payment Info (customers and resellers) ─────────────────────────────────────────────────────────────────────

export const CARD_STATUSES = ["active", "expired", "blocked"] as const;
export const CARD_STATUS_LABELS: Record<(typeof CARD_STATUSES)[number], string> = { active: "Active", expired: "Expired", blocked: "Blocked" };

export const CardSchema = z.object({
  id: z.string(),
  brand: z.string(),
  brandLabel: z.string(),
  last4: z.string(),
  expMonth: z.number().int(),
  expYear: z.number().int(),
  cardholderName: z.string().nullable(),
  status: z.enum(CARD_STATUSES),
  isDefault: z.boolean(),
  createdAt: z.string(),
});
export type Card = z.infer<typeof CardSchema>;

export const PaymentInfoSchema = z.object({
  /** What the Add a Card form needs to load the gateway's own card fields; null: cards cannot be added now. */
  cardGateway: z
    .object({ publishableKey: z.string(), stripeJsUrl: z.string(), acceptedBrands: z.array(z.enum(CARD_BRANDS)), securityBadge: z.boolean() })
    .nullable(),
  cards: z.array(CardSchema),
  /** "Enforce Credit Card" applies to this organization (not exempt). */
  cardRequired: z.boolean(),
  /** Online (card) or offline (bank transfer) payment; offline only when a card is not required. */
  paymentMode: z.enum(["online", "offline"]),
  /** When set, adding a card charges this much (credited to the wallet). Display text. */
  validityDeduction: z.string().nullable(),
});
export type PaymentInfo = z.infer<typeof PaymentInfoSchema>;

/** Add a Card: the PaymentMethod Stripe.js created in its own fields (never card data), and the name on it. */
export const AddCardInput = z
  .object({ paymentMethodId: z.string().regex(/^pm_[A-Za-z0-9_]{3,}$/, "Not a card reference from the card fields.") })
  .strict(); // a body carrying anything else (e.g. card data) is refused, not silently ignored
export type AddCardInput = z.infer<typeof AddCardInput>;

/** "Expiry Date" as typed on a card: MM/YY (or MM/YYYY), spaces around the slash allowed. */
export const EXPIRY_DATE = /^(0[1-9]|1[0-2])\s*\/\s*(\d{2}|\d{4})$/;

/** The expiry's month and four-digit year, or null when it is not MM/YY. */
export function parseExpiry(value: string): { expMonth: number; expYear: number } | null {
  const m = EXPIRY_DATE.exec(value.trim());
  if (!m) return null;
  const year = Number(m[2]);
  return { expMonth: Number(m[1]), expYear: m[2]!.length === 2 ? 2000 + year : year };
}

/**
 * Payment Info » Update: the two things a card holder may change on a saved card, through the gateway
 * (docs/decisions/016c-card-settings.md). The number, CVV and brand never change: a new card is "Replace".
 */
export const UpdateCardInput = z
  .object({
    cardholderName: z.string().trim().min(1, "Enter the name on the card.").max(100, "At most 100 characters."),
    expiry: z.string().trim().max(9).refine((v) => EXPIRY_DATE.test(v), "Enter the expiry date as MM/YY."),
  })
  .strict();
export type UpdateCardInput = z.infer<typeof UpdateCardInput>;

/** The updated card; `stillBlocked` says why a Blocked card stays Blocked (its bank did not validate it again). */
export const UpdateCardResultSchema = z.object({ card: CardSchema, stillBlocked: z.string().nullable() });
export type UpdateCardResult = z.infer<typeof UpdateCardResultSchema>;

/** After 3-D Secure: the SetupIntent (or, with Validity Deduction, PaymentIntent) the browser just confirmed. */
export const ConfirmCardInput = z.object({ intentId: z.string().regex(/^(seti|pi)_[A-Za-z0-9_]{3,}$/) });
export type ConfirmCardInput = z.infer<typeof ConfirmCardInput>;

export const AddCardResultSchema = z.discriminatedUnion("status", [
  z.object({ status: z.literal("saved"), card: CardSchema }),
  z.object({ status: z.literal("requires_action"), clientSecret: z.string(), intentId: z.string() }),
]);
export type AddCardResult = z.infer<typeof AddCardResultSchema>;

/** "Enforce Credit Card" for the signed-in user's organization: `blocked` until it adds a valid card (ADR 016c). */
export const CardStandingSchema = z.object({ required: z.boolean(), blocked: z.boolean() });
export type CardStanding = z.infer<typeof CardStandingSchema>;

export const PaymentModeInput = z.object({ mode: z.enum(["online", "offline"]) });

// ── Credit Card Settings (Billing Configurations) ──────────────────────────────────────────────────────────────

/** "No of Decline Payments Allowed": how many declined charges block a card (collection applies it). */
export const DECLINE_LIMIT_MAX = 10;
/** "Enforcement Exemption" holds at most this many organizations (one JSON value in one row). */
export const EXEMPTION_MAX = 500;

/**
 * "Save" of Credit Card Settings. "Validity Deduction" is typed in the billing currency ("1.00"); the server
 * checks it against the currency's decimals (creditAmountProblem in wallet.ts), required only when the deduction is on.
 */
export const CardSettingsInput = z
  .object({
    enforceCard: z.boolean(),
    exceptTrialCustomer: z.boolean(),
    exemptOrgIds: z.array(z.string().min(1).max(64)).max(EXEMPTION_MAX, `At most ${EXEMPTION_MAX} organizations.`),
    linkMultipleAccounts: z.boolean(),
    validityDeductionEnabled: z.boolean(),
    validityDeduction: z.string().trim().max(20, "Enter an amount like 1.00."),
    declineLimit: z.number({ error: "Enter a whole number." }).int("Enter a whole number.").min(1, "At least 1.").max(DECLINE_LIMIT_MAX, `At most ${DECLINE_LIMIT_MAX}.`),
  })
  .strict()
  .superRefine((v, issue) => {
    if (v.validityDeductionEnabled && v.validityDeduction === "") issue.addIssue({ code: "custom", path: ["validityDeduction"], message: "Enter the amount to deduct." });
  });
export type CardSettingsInput = z.infer<typeof CardSettingsInput>;

const OrgRef = z.object({ id: z.string(), name: z.string(), kind: z.enum(["customer", "reseller"]) });

export const CardSettingsSchema = z.object({
  enforceCard: z.boolean(),
  exceptTrialCustomer: z.boolean(),
  exempt: z.array(OrgRef),
  linkMultipleAccounts: z.boolean(),
  validityDeductionEnabled: z.boolean(),
  /** The amount as typed back into the field ("1.00"), "" when none is set. */
  validityDeduction: z.string(),
  validityDeductionMinor: z.number().int(),
  currency: z.string(),
  declineLimit: z.number().int(),
  updatedAt: z.string().nullable(),
});
export type CardSettings = z.infer<typeof CardSettingsSchema>;
