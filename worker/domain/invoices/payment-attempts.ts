/**
 * The invoice's payment history beyond the money that landed (ledger postings): card attempts that did not pay —
 * declined by the bank, or not completed (3-D Secure failed or abandoned, superseded, cancelled) — with date,
 * card, amount and the reason recorded from the gateway (docs/decisions/019-collection.md). Found through the
 * attempts' key `pi:{invoiceId}:{n}` (unique index). A failed Pay all charge (`pa:{orgId}:{n}`, one charge for
 * several invoices) is listed on each invoice it planned to pay, with that invoice's planned share as the amount.
 */
import { and, asc, eq, gte, lt, sql } from "drizzle-orm";
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

type AttemptRow = { id: string; createdAt: number; updatedAt: number; amountMinor: number; code: string | null; message: string | null; brand: string | null; last4: string | null };

const columns = {
  id: payments.id, createdAt: payments.createdAt, updatedAt: payments.updatedAt, amountMinor: payments.amountMinor, code: payments.declineCode,
  message: payments.failureMessage, brand: paymentMethods.brand, last4: paymentMethods.last4, planned: payments.plannedAllocations,
};

/** Failed attempts whose idempotency key starts with `prefix` (a range on the unique index). */
const failedUnder = (db: AppDb, prefix: string, also = sql`1`) =>
  db.select(columns).from(payments).leftJoin(paymentMethods, eq(paymentMethods.id, payments.paymentMethodId))
    .where(and(gte(payments.idempotencyKey, prefix), lt(payments.idempotencyKey, `${prefix}\uffff`), eq(payments.status, "failed"), also));

const toAttempt = (r: AttemptRow, method: (card: string) => string = (card) => card): FailedAttempt & { createdAt: number } => ({
  id: r.id, at: new Date(r.updatedAt).toISOString(), amountMinor: r.amountMinor, createdAt: r.createdAt,
  method: method(r.brand && r.last4 ? cardLabel({ brand: r.brand, last4: r.last4 }) : "Card"),
  outcome: isNotCompleted(r.code) ? "not_completed" : "declined",
  reason: r.message ?? r.code ?? "No reason given.",
});

export async function failedAttempts(db: AppDb, invoice: { id: string; orgId: string }): Promise<FailedAttempt[]> {
  const [own, payAll] = await Promise.all([
    failedUnder(db, `pi:${invoice.id}:`),
    failedUnder(db, `pa:${invoice.orgId}:`,
      sql`exists (select 1 from json_each(${payments.plannedAllocations}) where json_extract(value, '$.invoiceId') = ${invoice.id})`),
  ]);
  const shared = payAll.map((r) => {
    const planned = r.planned ?? [];
    const share = planned.find((s) => s.invoiceId === invoice.id)!.amountMinor;
    return toAttempt({ ...r, amountMinor: share }, (card) => `${card}, Pay all of ${planned.length} invoice${planned.length === 1 ? "" : "s"}`);
  });
  return [...own.map((r) => toAttempt(r)), ...shared]
    .sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id))
    .map(({ createdAt: _, ...attempt }) => attempt);
}
