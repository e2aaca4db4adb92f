/** Wallet and Transaction Logs: API shapes and inputs (runtime-neutral; the portal validates with them too). */
import { z } from "zod";
import { IsoDate } from "./catalogue";
import { inCurrency, NamedRefSchema, OrgRefSchema, pageSchema } from "./dto";
import { exceedsUnits, MAX_AMOUNT, MAX_DECIMAL_TEXT_LENGTH, parseDecimal, rescale, tooLargeMessage } from "./money";

export const LEDGER_KINDS = ["invoice_issued", "invoice_cancelled", "offline_payment", "card_payment", "wallet_topup", "free_credit", "wallet_payment", "free_credit_expired", "refund", "adjustment"] as const;
export type LedgerKind = (typeof LEDGER_KINDS)[number];
/** Postings that move no money (receivable bookkeeping): hidden from Transaction Logs unless asked for. */
export const BOOKKEEPING_KINDS: readonly LedgerKind[] = ["invoice_issued", "invoice_cancelled"];

export const KIND_LABELS: Record<LedgerKind, string> = {
  invoice_issued: "Invoice issued",
  invoice_cancelled: "Invoice cancelled",
  offline_payment: "Offline payment",
  card_payment: "Card payment",
  wallet_topup: "Wallet top-up",
  free_credit: "Free credit allocation",
  wallet_payment: "Paid from wallet",
  free_credit_expired: "Free credit expired",
  refund: "Refund",
  adjustment: "Adjustment",
};

/**
 * Why an amount typed for a credit (Top Up, Allocate Free Credit) in a currency with `exponent` decimals is
 * refused, or null: an exact decimal, more than zero, at most the currency's decimals, at most MAX_AMOUNT
 * (money.ts). The API and the wallet drawers say the same.
 */
export function creditAmountProblem(text: string, exponent: number): string | null {
  const t = text.trim();
  if (!t) return "Amount is required.";
  if (t.length > MAX_DECIMAL_TEXT_LENGTH) return /^\d+(\.\d+)?$/.test(t) ? tooLargeMessage("The amount") : "Enter an amount like 50.00.";
  const d = parseDecimal(t, exponent);
  if (!d) return parseDecimal(t, MAX_DECIMAL_TEXT_LENGTH) ? (exponent === 0 ? "This currency has no decimals." : `Use at most ${exponent} decimals.`) : "Enter an amount like 50.00.";
  if (d.value <= 0n) return "The amount must be greater than zero.";
  if (exceedsUnits(d, MAX_AMOUNT)) return tooLargeMessage("The amount");
  return null;
}

/** The amount in minor units (call only when creditAmountProblem is null). */
export function creditAmountMinor(text: string, exponent: number): bigint {
  const d = parseDecimal(text.trim(), exponent)!;
  return rescale(d.value, d.scale, exponent);
}

const amountText = z.string({ error: "Amount is required." }).trim().min(1, "Amount is required.").max(MAX_DECIMAL_TEXT_LENGTH, "Amount is too long.");
const text = (max: number) => z.string().trim().max(max, `At most ${max} characters.`).nullish().transform((v) => (v ? v : null));
/** A fresh random key per form opening: a double-submitted form credits once. */
const requestKey = z.string({ error: "requestKey is required." }).min(8).max(100);

export const TopUpInput = z.object({ amount: amountText, reference: text(100), description: text(300), requestKey });
export type TopUpInput = z.input<typeof TopUpInput>;

export const FreeCreditInput = z.object({ amount: amountText, expiresAt: IsoDate.nullish().transform((v) => v ?? null), description: text(300), requestKey });
export type FreeCreditInput = z.input<typeof FreeCreditInput>;

export const GrantSchema = z.object({
  id: z.string(),
  amountMinor: z.number().int(),
  remainingMinor: z.number().int(),
  /** Last day (UTC) the credit can be used; null = never expires. */
  expiresAt: z.string().nullable(),
  status: z.enum(["available", "used", "expired"]),
  createdAt: z.string(),
});

export const WalletSchema = z.object({
  org: OrgRefSchema,
  ...inCurrency,
  paidMinor: z.number().int(),
  freeMinor: z.number().int(),
  totalMinor: z.number().int(),
  grants: z.array(GrantSchema),
});
export type Wallet = z.infer<typeof WalletSchema>;

export const TransactionSchema = z.object({
  id: z.string(),
  org: NamedRefSchema,
  kind: z.enum(LEDGER_KINDS),
  direction: z.enum(["in", "out", "none"]),
  amountMinor: z.number().int(),
  currency: z.string(),
  status: z.enum(["pending", "completed", "failed"]),
  invoiceId: z.string().nullable(),
  invoiceNumber: z.string().nullable(),
  gateway: z.string().nullable(),
  reference: z.string().nullable(),
  description: z.string().nullable(),
  actor: z.string().nullable(),
  createdAt: z.string(),
  /** A card or wallet payment's own id, for its receipt (GET /api/payments/{id}/receipt.pdf). */
  paymentId: z.string().nullable(),
});
export type Transaction = z.infer<typeof TransactionSchema>;

export const TransactionPageSchema = pageSchema(TransactionSchema).extend({
  ...inCurrency,
  /** Over every transaction matching the filter (not only this page), completed ones only. */
  totals: z.object({ incomeMinor: z.number().int(), expensesMinor: z.number().int(), netMinor: z.number().int() }),
  /** Income and expenses per day (ranges up to 62 days) or per month, oldest first. */
  series: z.object({
    bucket: z.enum(["day", "month"]),
    points: z.array(z.object({ label: z.string(), incomeMinor: z.number().int(), expensesMinor: z.number().int() })),
  }),
});
export type TransactionPage = z.infer<typeof TransactionPageSchema>;
