/**
 * The invoice's payment history beyond the money that landed (ledger postings): card attempts that did not pay —
 * declined by the bank, or not completed (3-D Secure failed or abandoned, superseded, cancelled) — with date,
 * card, amount and the reason recorded from the gateway (docs/decisions/019-collection.md). Found through the
 * attempts' key `pi:{invoiceId}:{n}` (unique index). A failed Pay all charge (`pa:{orgId}:{n}`, one charge for
 * several invoices) is listed on each invoice it planned to pay, with that invoice's planned share as the amount.
 */
import { and, eq, gte, lt, sql, type SQL } from "drizzle-orm";
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

const columns = {
  id: payments.id, createdAt: payments.createdAt, updatedAt: payments.updatedAt, amountMinor: payments.amountMinor, code: payments.declineCode,
  message: payments.failureMessage, brand: paymentMethods.brand, last4: paymentMethods.last4, planned: payments.plannedAllocations,
};

/** Failed attempts whose idempotency key starts with `prefix` (a range on the unique index). */
const failedUnder = (db: AppDb, prefix: string, also?: SQL) =>
  db.select(columns).from(payments).leftJoin(paymentMethods, eq(paymentMethods.id, payments.paymentMethodId))
    .where(and(gte(payments.idempotencyKey, prefix), lt(payments.idempotencyKey, `${prefix}\uffff`), eq(payments.status, "failed"), also));

type AttemptRow = Awaited<ReturnType<typeof failedUnder>>[number];

/** One history row: the attempt, the amount it meant for this invoice and what to say after the card. */
const toAttempt = ({ row: r, amountMinor, via }: { row: AttemptRow; amountMinor: number; via: string }): FailedAttempt => ({
  id: r.id, at: new Date(r.updatedAt).toISOString(), amountMinor,
  method: `${r.brand && r.last4 ? cardLabel({ brand: r.brand, last4: r.last4 }) : "Card"}${via}`,
  outcome: isNotCompleted(r.code) ? "not_completed" : "declined",
  reason: r.message ?? r.code ?? "No reason given.",
});

export async function failedAttempts(db: AppDb, invoice: { id: string; orgId: string }): Promise<FailedAttempt[]> {
  const [own, payAll] = await Promise.all([
    failedUnder(db, `pi:${invoice.id}:`),
    failedUnder(db, `pa:${invoice.orgId}:`,
      sql`exists (select 1 from json_each(${payments.plannedAllocations}) where json_extract(value, '$.invoiceId') = ${invoice.id})`),
  ]);
  const shared = payAll.map((row) => {
    const planned = row.planned ?? [];
    const n = planned.length;
    return { row, amountMinor: planned.find((s) => s.invoiceId === invoice.id)!.amountMinor, via: `, Pay all of ${n} invoice${n === 1 ? "" : "s"}` };
  });
  return [...own.map((row) => ({ row, amountMinor: row.amountMinor, via: "" })), ...shared]
    .sort((a, b) => a.row.createdAt - b.row.createdAt || a.row.id.localeCompare(b.row.id))
    .map(toAttempt);
}
