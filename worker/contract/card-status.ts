/**
 * Credit Card Status (Billing & Reports >> Customer Billing >> Credit Card Status) and the card health view:
 * the API's shapes, shared by the routes and the portal (runtime-neutral). docs/decisions/019b-card-health-and-self-pay.md
 */
import { z } from "zod";
import { pageSchema } from "./dto";
import { PageQuerySchema, ReasonSchema } from "./schemas";

/** "Credit Card Status" of an organization: its card on file (the default one), or none. */
export const CARD_STATES = ["active", "blocked", "expired", "none"] as const;
export type CardState = (typeof CARD_STATES)[number];
export const CARD_STATE_LABELS: Record<CardState, string> = { active: "Active", blocked: "Blocked", expired: "Expired", none: "None" };

/** "Billing Profile Status": whether the organization supplied a card for online payment. */
export const PROFILE_STATES = ["configured", "not_configured"] as const;
export type ProfileState = (typeof PROFILE_STATES)[number];
export const PROFILE_STATE_LABELS: Record<ProfileState, string> = { configured: "Configured", not_configured: "Not Configured" };

export const CardStatusFilterSchema = z.object({
  status: z.enum(CARD_STATES).optional(),
  profile: z.enum(PROFILE_STATES).optional(),
  orgId: z.string().trim().min(1).max(64).optional(),
  search: z.string().trim().max(100).optional(),
});
export type CardStatusFilter = z.infer<typeof CardStatusFilterSchema>;

export const CardStatusQuery = PageQuerySchema.extend(CardStatusFilterSchema.shape);
export type CardStatusQuery = z.infer<typeof CardStatusQuery>;

export const CardStatusRowSchema = z.object({
  orgId: z.string(),
  orgName: z.string(),
  orgKind: z.enum(["customer", "reseller"]),
  profileStatus: z.enum(PROFILE_STATES),
  cardStatus: z.enum(CARD_STATES),
  card: z
    .object({ id: z.string(), brand: z.string(), brandLabel: z.string(), last4: z.string(), expMonth: z.number().int(), expYear: z.number().int() })
    .nullable(),
  declineCount: z.number().int(),
  lastDeclineReason: z.string().nullable(),
  autoPayment: z.boolean(),
  paymentMode: z.enum(["online", "offline"]),
});
export type CardStatusRow = z.infer<typeof CardStatusRowSchema>;

export const CardStatusListSchema = pageSchema(CardStatusRowSchema);

export const UnblockCardInput = z.object({
  reason: ReasonSchema,
});
export type UnblockCardInput = z.infer<typeof UnblockCardInput>;

/** An amount at stake, per currency (invoices carry their own currency). */
const Amount = z.object({ currency: z.string(), minor: z.number().int(), exponent: z.number().int() });

const HealthRow = z.object({
  orgId: z.string(),
  orgName: z.string(),
  orgKind: z.enum(["customer", "reseller"]),
  cardStatus: z.enum(CARD_STATES),
  card: CardStatusRowSchema.shape.card,
  /** Expiring: the day the card stops working (first day after its expiry month, UTC). */
  expiresOn: z.string().nullable(),
  unpaidInvoices: z.number().int(),
  runningSubscriptions: z.number().int(),
  atStake: z.array(Amount),
});
export type CardHealthRow = z.infer<typeof HealthRow>;

export const CardHealthSchema = z.object({
  /** Active cards whose last valid day falls within the next 30 days. */
  expiring: z.array(HealthRow),
  /** Blocked cards of organizations with unpaid invoices: the unpaid amount. */
  blockedUnpaid: z.array(HealthRow),
  /** Organizations paying online with running subscriptions and no usable card (none, blocked, expired or expiring). */
  atRisk: z.array(HealthRow),
  /** Each list is cut at this many rows (largest amounts first); `truncated` says a list was cut. */
  limit: z.number().int(),
  truncated: z.boolean(),
});
export type CardHealth = z.infer<typeof CardHealthSchema>;

/** How many days before a card stops working the "card expiring" email is sent, and the health view warns. */
export const CARD_EXPIRY_WARNING_DAYS = 30;

/** My Invoices >> "Pay now" with the card on file: optionally which card, and the amount the person confirmed. */
export const PayInvoiceInput = z.object({
  paymentMethodId: z.string().min(1).max(64).optional(),
  expectedAmountMinor: z.number().int().positive().optional(),
}).strict();
