/**
 * Collection shapes (docs/decisions/019-collection.md): a settled payment and its share per invoice.
 * Runtime-neutral: the domain validates with these and the portal reads the same types.
 */
import { z } from "zod";

export const PAYMENT_CHANNELS = ["card", "wallet", "adpay"] as const;
export const PAYMENT_STATUSES = ["pending", "succeeded", "failed", "requires_action"] as const;
export const PAYMENT_INITIATORS = ["auto", "capture", "customer", "retry"] as const;
export type PaymentChannel = (typeof PAYMENT_CHANNELS)[number];
export type PaymentInitiator = (typeof PAYMENT_INITIATORS)[number];

const Minor = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);

export const Allocation = z.object({ invoiceId: z.string().min(1), amountMinor: Minor });
export type Allocation = z.infer<typeof Allocation>;

/** Where a wallet payment's money comes from (planWalletSpend, worker/domain/wallet/spend-order.ts). */
export const WalletSources = z.object({
  fromGrants: z.array(z.object({ id: z.string().min(1), amountMinor: Minor })),
  fromPaidMinor: z.number().int().min(0),
});
export type WalletSources = z.infer<typeof WalletSources>;

export const SettleInput = z
  .object({
    orgId: z.string().min(1),
    channel: z.enum(PAYMENT_CHANNELS),
    /** The gateway ("stripe", "adpay") and its succeeded payment (`pi_…`); absent for the wallet. */
    gateway: z.string().min(1).nullish(),
    gatewayPaymentId: z.string().min(1).nullish(),
    /** The payment's own key: the charge's idempotency key (`pi:{invoiceId}:{attempt}`), or the wallet's. */
    idempotencyKey: z.string().min(1).max(200),
    paymentMethodId: z.string().nullish(),
    cardFingerprint: z.string().nullish(),
    amountMinor: Minor,
    currency: z.string().length(3),
    initiatedBy: z.enum(PAYMENT_INITIATORS),
    /** For the "payment received" email: "Visa •••• 4242", "Wallet". */
    methodLabel: z.string().max(100).optional(),
    /** Each invoice's share; when absent the amount goes to the oldest unpaid invoices first. */
    allocations: z.array(Allocation).max(90).optional(),
    wallet: WalletSources.optional(),
  })
  .superRefine((v, ctx) => {
    if (v.channel === "wallet" && !v.wallet) ctx.addIssue({ code: "custom", path: ["wallet"], message: "A wallet payment says where its money comes from." });
    if (v.channel !== "wallet" && (!v.gateway || !v.gatewayPaymentId)) ctx.addIssue({ code: "custom", path: ["gatewayPaymentId"], message: "A gateway payment needs the gateway's payment id." });
  });
export type SettleInput = z.input<typeof SettleInput>;
export type SettleParsed = z.output<typeof SettleInput>;

export interface SettleResult {
  paymentId: string;
  /** True when this payment was already settled: nothing was written again. */
  replay: boolean;
  allocations: Allocation[];
  /** Money received beyond what the invoices still owed, credited to the wallet as paid credit. */
  surplusMinor: number;
}

/** Charging one invoice (automatic collection, Capture Payment, a scheduled retry). */
export const ChargeInput = z.object({
  invoiceId: z.string().min(1),
  initiatedBy: z.enum(PAYMENT_INITIATORS),
  /** The card to charge; default: the Auto Payment card, else the organization's default card. */
  paymentMethodId: z.string().min(1).optional(),
  /** What the person confirmed (Capture Payment): refused if the amount due changed since. */
  expectedAmountMinor: z.number().int().positive().optional(),
});
export type ChargeInput = z.input<typeof ChargeInput>;

export interface ChargeResult {
  /** paid: nothing left due; requires_action: the customer must authenticate in the portal; declined: see reason. */
  status: "paid" | "requires_action" | "declined";
  paymentId: string | null;
  walletMinor: number;
  cardMinor: number;
  declineCode?: string;
  message?: string;
}

/** Payment Info » Auto Payment: the card every issued invoice is charged to, when on. */
export const AutoPaymentSchema = z.object({ enabled: z.boolean(), cardId: z.string().nullable() });
export type AutoPayment = z.infer<typeof AutoPaymentSchema>;
export const AutoPaymentInput = z
  .object({ enabled: z.boolean(), cardId: z.string().min(1).max(64).optional() })
  .superRefine((v, ctx) => {
    if (v.enabled && !v.cardId) ctx.addIssue({ code: "custom", path: ["cardId"], message: "Choose the card to use for automatic payments." });
  });
export type AutoPaymentInput = z.infer<typeof AutoPaymentInput>;

/** Capture Payment's confirmation: what will be charged, to which card. */
export const CapturePreviewSchema = z.object({
  invoiceId: z.string(), number: z.string().nullable(), currency: z.string(),
  dueMinor: z.number().int(), walletMinor: z.number().int(), cardMinor: z.number().int(),
  card: z.object({ id: z.string(), label: z.string(), status: z.string() }).nullable(),
});
export type CapturePreview = z.infer<typeof CapturePreviewSchema>;
export const CaptureInput = z.object({ expectedAmountMinor: z.number().int().positive() });
export type CaptureInput = z.infer<typeof CaptureInput>;
export const ChargeResultSchema = z.object({
  status: z.enum(["paid", "requires_action", "declined"]), paymentId: z.string().nullable(), walletMinor: z.number().int(), cardMinor: z.number().int(),
  declineCode: z.string().optional(), message: z.string().optional(),
});
