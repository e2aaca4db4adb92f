/**
 * The invoice's payment history beyond the money that landed (ledger postings): card attempts that did not pay —
 * declined by the bank, or not completed (3-D Secure failed or abandoned, superseded, cancelled) — with date,
 * card, amount and the reason recorded from the gateway (docs/decisions/019-collection.md). Found through the
 * attempts' key `pi:{invoiceId}:{n}` (unique index). A Pay all charge that failed names no invoice and is not here.
 */
import { and, asc, eq, gte, lt } from "drizzle-orm";
import type { AppDb } from "../../db/client";
import { paymentMethods, payments } from "../../db/schema";
import { cardLabel } from "../../contract/payments";

/** Codes of attempts that ended without the bank declining the card (collection/resolve.ts, self-pay/pay-new-card.ts). */
const NOT_COMPLETED = new Set(["superseded", "canceled", "authentication_abandoned", "payment_intent_authentication_failure", "card_payment_abandoned", "gateway_refused"]);
export const isNotCompleted = (code: string | null) => !!code && NOT_COMPLETED.has(code);

export interface FailedAttempt {
  id: string;
  at: string;
  method: string;
  amountMinor: number;
  outcome: "declined" | "not_completed";
  reason: string;
}

export async function failedAttempts(db: AppDb, invoiceId: string): Promise<FailedAttempt[]> {
  const prefix = `pi:${invoiceId}:`;
  const rows = await db.select({ id: payments.id, updatedAt: payments.updatedAt, amountMinor: payments.amountMinor, code: payments.declineCode, message: payments.failureMessage, brand: paymentMethods.brand, last4: paymentMethods.last4 })
    .from(payments).leftJoin(paymentMethods, eq(paymentMethods.id, payments.paymentMethodId))
    .where(and(gte(payments.idempotencyKey, prefix), lt(payments.idempotencyKey, `${prefix}\uffff`), eq(payments.status, "failed")))
    .orderBy(asc(payments.createdAt), asc(payments.id));
  return rows.map((r) => ({
    id: r.id, at: new Date(r.updatedAt).toISOString(), amountMinor: r.amountMinor,
    method: r.brand && r.last4 ? cardLabel({ brand: r.brand, last4: r.last4 }) : "Card",
    outcome: isNotCompleted(r.code) ? "not_completed" : "declined",
    reason: r.message ?? r.code ?? "No reason given.",
  }));
}
