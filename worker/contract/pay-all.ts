/**
 * My Invoices » Pay all (docs/decisions/019b-card-health-and-self-pay.md): every unpaid invoice of the caller's
 * organization in ONE payment, oldest first. Runtime-neutral: the route, the domain and the portal share these.
 */
import { z } from "zod";
import { inCurrency } from "./dto";

export const PayAllShareSchema = z.object({
  invoiceId: z.string(), number: z.string().nullable(), issueDate: z.string(),
  dueMinor: z.number().int(), walletMinor: z.number().int(), cardMinor: z.number().int(),
});
export type PayAllShare = z.infer<typeof PayAllShareSchema>;

/** The confirmation: each unpaid invoice (oldest first) and its share, what the wallet pays and what the card pays. */
export const PayAllPreviewSchema = z.object({
  ...inCurrency,
  totalMinor: z.number().int(), walletMinor: z.number().int(), cardMinor: z.number().int(),
  card: z.object({ id: z.string(), label: z.string() }).nullable(),
  /** Why the card part cannot be charged now (no card, blocked, expired): said in the confirmation. */
  cardProblem: z.string().nullable(),
  invoices: z.array(PayAllShareSchema),
  /** Unpaid invoices left out (another currency, or beyond one payment's limit): paid separately. */
  leftOutCount: z.number().int(),
});
export type PayAllPreview = z.infer<typeof PayAllPreviewSchema>;

/** The POST carries the total the person confirmed: a changed total is refused (409 CONFLICT). */
export const PayAllInput = z.object({
  expectedTotalMinor: z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
  paymentMethodId: z.string().min(1).max(64).optional(),
}).strict();
export type PayAllInput = z.infer<typeof PayAllInput>;

export const PayAllResultSchema = z.object({
  status: z.enum(["paid", "requires_action", "declined"]),
  /** The card payment (null when the wallet paid everything) and the wallet's payment, for their receipts. */
  paymentId: z.string().nullable(), walletPaymentId: z.string().nullable(),
  walletMinor: z.number().int(), cardMinor: z.number().int(),
  declineCode: z.string().optional(), message: z.string().optional(),
  invoices: z.array(z.object({ invoiceId: z.string(), number: z.string().nullable(), status: z.string() })),
});
export type PayAllResult = z.infer<typeof PayAllResultSchema>;
