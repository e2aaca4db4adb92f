/**
 * Payments (docs/decisions/016-payments.md): gateway configuration, the gateway's customer per organization,
 * saved cards, the webhook inbox and "Credit Card Settings".
 *
 * PCI: no column may ever hold a card number or CVV. Cards are the gateway's ids plus brand, last 4, expiry and
 * fingerprint (what Stripe returns for a PaymentMethod); gateway secrets are one AES-GCM blob (secrets.ts).
 */
import { sql } from "drizzle-orm";
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { createdAt, flag, id, lastEdit, minor, timestamps, updatedAt } from "./columns";
import { organizations, orgRef } from "./core";

/** One row per supported gateway ("stripe", "adpay"): the drawer's settings. */
export const paymentGateways = sqliteTable("payment_gateways", {
  id: text("id", { enum: ["stripe", "adpay"] }).primaryKey(),
  enabled: flag("enabled").default(false),
  /** Detected from the key prefix (`sk_test_` / `adpk_live_` …), never chosen separately. */
  mode: text("mode", { enum: ["test", "live"] }),
  /** Non-secret settings as JSON (public key, accepted brands, security badge, merchant id). */
  settings: text("settings").notNull(),
  /** Secrets (secret key, webhook secret, API key, secret) as one encrypted JSON object; AAD names the gateway. */
  secretsEnc: text("secrets_enc"),
  /** Last 4 characters of each secret, the most the portal ever shows. JSON. */
  secretHints: text("secret_hints").notNull().default("{}"),
  /** The last "Verify": when it succeeded, and otherwise why it failed (in words). */
  verifiedAt: integer("verified_at"),
  verifyError: text("verify_error"),
  ...lastEdit(),
});

/** The gateway's customer object of an organization (Stripe `cus_…`), created once with an idempotency key. */
export const paymentCustomers = sqliteTable(
  "payment_customers",
  {
    orgId: orgRef(),
    gateway: text("gateway").notNull(),
    gatewayCustomerId: text("gateway_customer_id").notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.gateway] }), uniqueIndex("payment_customers_gateway_id").on(t.gateway, t.gatewayCustomerId)],
);

/** A saved card: only what the gateway tells us about it (never the number or CVV; ADR 016). */
export const paymentMethods = sqliteTable(
  "payment_methods",
  {
    id: id(),
    orgId: orgRef(),
    gateway: text("gateway").notNull(),
    gatewayCustomerId: text("gateway_customer_id").notNull(),
    gatewayPaymentMethodId: text("gateway_payment_method_id").notNull(),
    brand: text("brand").notNull(),
    last4: text("last4").notNull(),
    expMonth: integer("exp_month").notNull(),
    expYear: integer("exp_year").notNull(),
    fingerprint: text("fingerprint").notNull(),
    cardholderName: text("cardholder_name"),
    status: text("status", { enum: ["active", "blocked", "removed"] }).notNull().default("active"),
    isDefault: flag("is_default").default(false),
    declineCount: integer("decline_count").notNull().default(0),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex("payment_methods_gateway_pm").on(t.gateway, t.gatewayPaymentMethodId),
    index("payment_methods_org").on(t.orgId, t.status),
    index("payment_methods_fingerprint").on(t.fingerprint, t.status),
    // At most one default card per organization (Set as Default clears the old one in the same batch).
    uniqueIndex("payment_methods_one_default").on(t.orgId).where(sql`is_default = 1`),
  ],
);

/**
 * Webhook inbox: each gateway event id is stored once (primary key), so a duplicate delivery is acknowledged and
 * dropped; the queue consumer applies it and stamps `processed_at`.
 */
export const paymentEvents = sqliteTable(
  "payment_events",
  {
    gateway: text("gateway").notNull(),
    eventId: text("event_id").notNull(),
    type: text("type").notNull(),
    /** The object the event is about (`pm_…`, `seti_…`, `pi_…`); the consumer refetches it, never trusts order. */
    objectId: text("object_id").notNull(),
    receivedAt: integer("received_at").notNull(),
    processedAt: integer("processed_at"),
    outcome: text("outcome"),
  },
  (t) => [primaryKey({ columns: [t.gateway, t.eventId] }), index("payment_events_pending").on(t.processedAt, t.receivedAt)],
);

/** One row (id = 1): "Credit Card Settings" of Billing Configurations. */
export const creditCardSettings = sqliteTable("credit_card_settings", {
  id: integer("id").primaryKey(),
  enforceCard: flag("enforce_card").default(false),
  exceptTrialCustomer: flag("except_trial_customer").default(false),
  /** "Enforcement Exemption": organization ids, JSON array. */
  exemptOrgIds: text("exempt_org_ids").notNull().default("[]"),
  linkMultipleAccounts: flag("link_multiple_accounts").default(true),
  validityDeduction: flag("validity_deduction").default(false),
  /** "Validity Deduction": minor units of the billing currency. */
  validityDeductionMinor: minor("validity_deduction_minor").default(0),
  declineLimit: integer("decline_limit").notNull().default(3),
  ...lastEdit(),
});

/** "Payment Info": an organization's choice between online (card) and offline (bank transfer) payment. */
export const paymentPreferences = sqliteTable("payment_preferences", {
  orgId: text("org_id").primaryKey().references(() => organizations.id),
  mode: text("mode", { enum: ["online", "offline"] }).notNull(),
  updatedAt: updatedAt(),
});

/** Card-testing protection: attempts to add a card per org, IP and fingerprint in a time bucket. */
export const cardAttempts = sqliteTable(
  "card_attempts",
  {
    scope: text("scope").notNull(),
    bucket: integer("bucket").notNull(),
    count: integer("count").notNull(),
  },
  (t) => [primaryKey({ columns: [t.scope, t.bucket] })],
);
