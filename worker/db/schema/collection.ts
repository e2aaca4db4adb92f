/**
 * Collection (docs/decisions/019-collection.md): the payment history, each payment's share per invoice, decline
 * counting per card fingerprint, the "Auto Payment" choice and the retry schedule of failed invoices.
 *
 * PCI: like payments.ts, nothing here ever holds a card number or CVV — a card is our `payment_methods.id` and
 * the gateway's fingerprint.
 */
import { sql } from "drizzle-orm";
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { invoiceRef, invoices } from "./billing";
import { amount, createdAt, flag, id, lastEdit, minor, timestamps, updatedAt } from "./columns";
import { organizations, orgRef } from "./core";
import { paymentMethods } from "./payments";

/** One charge (card, ADPAY) or wallet payment; its allocations say which invoices it paid. */
export const payments = sqliteTable(
  "payments",
  {
    id: id(),
    orgId: orgRef(),
    channel: text("channel", { enum: ["card", "wallet", "adpay"] }).notNull(),
    /** "stripe", "adpay"; null for the wallet. */
    gateway: text("gateway"),
    paymentMethodId: text("payment_method_id").references(() => paymentMethods.id),
    /** The card's fingerprint when charged (decline counting and the 10-attempts-in-30-days rule survive re-adding a card). */
    cardFingerprint: text("card_fingerprint"),
    /** Stripe `pi_…`; unique, so settling the same gateway payment twice is a no-op. */
    gatewayPaymentId: text("gateway_payment_id"),
    /** The key sent to the gateway (`pi:{invoiceId}:{attempt}`): one per invoice attempt, replayed after a timeout. */
    idempotencyKey: text("idempotency_key").notNull(),
    ...amount(),
    status: text("status", { enum: ["pending", "succeeded", "failed", "requires_action"] }).notNull(),
    declineCode: text("decline_code"),
    failureMessage: text("failure_message"),
    initiatedBy: text("initiated_by", { enum: ["auto", "capture", "customer", "retry"] }).notNull(),
    /** The staff member or customer who asked for it (null for automatic collection). */
    actorUserId: text("actor_user_id"),
    ...timestamps(),
    settledAt: integer("settled_at"),
    /**
     * "Pay all" charges only: each invoice's card share as planned when the charge was opened, so a replay of its
     * key sends the same request and its money lands the same way (ADR 019b), whenever the answer comes.
     */
    plannedAllocations: text("planned_allocations", { mode: "json" }).$type<Array<{ invoiceId: string; number: string | null; amountMinor: number }>>(),
  },
  (t) => [
    uniqueIndex("payments_idempotency_uq").on(t.idempotencyKey),
    uniqueIndex("payments_gateway_payment_uq").on(t.gateway, t.gatewayPaymentId).where(sql`gateway_payment_id IS NOT NULL`),
    index("payments_org_created_idx").on(t.orgId, t.createdAt),
    index("payments_fingerprint_created_idx").on(t.cardFingerprint, t.createdAt),
    index("payments_status_idx").on(t.status, t.updatedAt),
  ],
);

/** A payment's share of one invoice ("Pay all": one charge, several invoices, oldest first). */
export const paymentAllocations = sqliteTable(
  "payment_allocations",
  {
    paymentId: text("payment_id").notNull().references(() => payments.id),
    invoiceId: invoiceRef(),
    amountMinor: minor("amount_minor"),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.paymentId, t.invoiceId] }), index("payment_allocations_invoice_idx").on(t.invoiceId)],
);

/**
 * Declines counted per card fingerprint (not per saved card: removing and re-adding a card keeps its count).
 * `blockedAt` is set when the count reaches "No of Decline Payments Allowed"; cleared by a fresh successful
 * validation of the card or by staff (audited).
 */
export const cardDeclines = sqliteTable("card_declines", {
  fingerprint: text("fingerprint").primaryKey(),
  count: integer("count").notNull().default(0),
  lastDeclineCode: text("last_decline_code"),
  lastDeclineReason: text("last_decline_reason"),
  lastDeclinedAt: integer("last_declined_at"),
  blockedAt: integer("blocked_at"),
  updatedAt: updatedAt(),
});

/** "Auto Payment" on Payment Info: the card every issued invoice is charged to, when enabled. */
export const autoPayments = sqliteTable("auto_payments", {
  orgId: text("org_id").primaryKey().references(() => organizations.id),
  enabled: flag("enabled").default(false),
  paymentMethodId: text("payment_method_id").references(() => paymentMethods.id),
  ...lastEdit(),
});

/**
 * Where automatic collection of an invoice stands: attempts made, the next retry (1, 3, 5 days after a
 * decline) and why it stopped (paid, card blocked, do-not-retry decline, attempt limit).
 */
export const invoiceCollections = sqliteTable(
  "invoice_collections",
  {
    invoiceId: text("invoice_id").primaryKey().references(() => invoices.id),
    orgId: orgRef(),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: integer("next_attempt_at"),
    lastDeclineCode: text("last_decline_code"),
    lastFailureMessage: text("last_failure_message"),
    stoppedReason: text("stopped_reason"),
    updatedAt: updatedAt(),
  },
  (t) => [index("invoice_collections_next_idx").on(t.nextAttemptAt)],
);
