/**
 * The statements of settling one payment (settle.ts), as ONE batch: the payment row, each invoice's share
 * (a conditional UPDATE that aborts the batch if the invoice stopped owing it), the allocation rows, the ledger
 * postings, the wallet's own guards, the surplus credit and the stop of automatic retries.
 */
import type { Allocation, SettleParsed as Input } from "../../contract/collection";
import { abortUnless, abortUnlessChanged, rawStatement, type RawStatement } from "../../db/atomic";
import type { DomainContext } from "../context";
import { postingStatements, type Posting } from "../ledger/post";
import { todayUtc } from "../wallet/get-wallet";
import { splitWallet } from "./allocate";

/** The payment row: a pending row (the charge verb's) becomes succeeded, or a new succeeded row. */
export function paymentRowStatements(ctx: Pick<DomainContext, "clock" | "principal">, input: Input, paymentId: string, existing: boolean): RawStatement[] {
  const now = ctx.clock.now();
  if (existing) {
    return [
      rawStatement(
        `UPDATE payments SET status = 'succeeded', gateway_payment_id = COALESCE(?, gateway_payment_id), amount_minor = ?, decline_code = NULL, failure_message = NULL,
         settled_at = ?, updated_at = ? WHERE id = ? AND org_id = ? AND status <> 'succeeded'`,
        [input.gatewayPaymentId ?? null, input.amountMinor, now, now, paymentId, input.orgId],
      ),
      abortUnlessChanged(),
    ];
  }
  return [
    rawStatement(
      `INSERT INTO payments (id, org_id, channel, gateway, payment_method_id, card_fingerprint, gateway_payment_id, idempotency_key, amount_minor, currency, status, initiated_by, actor_user_id, created_at, updated_at, settled_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'succeeded', ?, ?, ?, ?, ?)`,
      [paymentId, input.orgId, input.channel, input.gateway ?? null, input.paymentMethodId ?? null, input.cardFingerprint ?? null, input.gatewayPaymentId ?? null,
        input.idempotencyKey, input.amountMinor, input.currency, input.initiatedBy, ctx.principal?.userId ?? null, now, now, now],
    ),
  ];
}

/** One invoice's share: paid or part-paid, only if it still owes at least that much. */
function invoiceShareStatements(now: number, paymentId: string, a: Allocation): RawStatement[] {
  return [
    rawStatement(
      `UPDATE invoices SET amount_paid_minor = amount_paid_minor + ?1,
         status = CASE WHEN amount_paid_minor + ?1 >= total_minor THEN 'paid' ELSE status END,
         paid_at = CASE WHEN amount_paid_minor + ?1 >= total_minor THEN ?2 ELSE paid_at END,
         payment_state = 'none', updated_at = ?2
       WHERE id = ?3 AND status = 'unpaid' AND total_minor - amount_paid_minor >= ?1`,
      [a.amountMinor, now, a.invoiceId],
    ),
    abortUnlessChanged(),
    rawStatement(`INSERT INTO payment_allocations (payment_id, invoice_id, amount_minor, created_at) VALUES (?, ?, ?, ?)`, [paymentId, a.invoiceId, a.amountMinor, now]),
    // A paid invoice is no longer collected automatically.
    rawStatement(
      `UPDATE invoice_collections SET next_attempt_at = NULL, stopped_reason = 'paid', updated_at = ? WHERE invoice_id = ? AND (SELECT status FROM invoices WHERE id = ?) = 'paid'`,
      [now, a.invoiceId, a.invoiceId],
    ),
  ];
}

function gatewayPosting(input: Input, paymentId: string, a: Allocation): Posting {
  return {
    orgId: input.orgId, kind: "card_payment", direction: "in", amountMinor: a.amountMinor, currency: input.currency, invoiceId: a.invoiceId,
    gateway: input.gateway ?? null, reference: input.gatewayPaymentId ?? null, description: input.methodLabel ? `Payment by ${input.methodLabel}` : "Online payment",
    idempotencyKey: `payment:${paymentId}:${a.invoiceId}`,
    entries: [{ account: "cash", amountMinor: a.amountMinor }, { account: "receivable", amountMinor: -a.amountMinor }],
  };
}

/** The wallet pays: free credit out of its grants (each only if it still holds that much), paid credit only if the balance still covers it. */
function walletStatements(ctx: Pick<DomainContext, "clock" | "principal">, input: Input, paymentId: string, allocations: Allocation[]): RawStatement[] {
  const sources = input.wallet!;
  const today = todayUtc(ctx.clock.now());
  const guards = sources.fromGrants.flatMap((g) => [
    rawStatement(
      `UPDATE wallet_grants SET remaining_minor = remaining_minor - ? WHERE id = ? AND org_id = ? AND remaining_minor >= ? AND (expires_at IS NULL OR expires_at >= ?)`,
      [g.amountMinor, g.id, input.orgId, g.amountMinor, today],
    ),
    abortUnlessChanged(),
  ]);
  if (sources.fromPaidMinor > 0) {
    guards.push(abortUnless(`(SELECT -COALESCE(SUM(amount_minor), 0) FROM ledger_entries WHERE org_id = ? AND account = 'wallet_paid' AND currency = ?) >= ?`,
      [input.orgId, input.currency, sources.fromPaidMinor]));
  }
  const postings = splitWallet(allocations, sources).flatMap((s) => postingStatements(ctx, {
    orgId: input.orgId, kind: "wallet_payment", direction: "none", amountMinor: s.amountMinor, currency: input.currency, invoiceId: s.invoiceId,
    description: "Paid from the wallet", idempotencyKey: `payment:${paymentId}:${s.invoiceId}`,
    entries: [{ account: "wallet_free", amountMinor: s.freeMinor }, { account: "wallet_paid", amountMinor: s.paidMinor }, { account: "receivable", amountMinor: -s.amountMinor }],
  }).statements);
  return [...guards, ...postings];
}

/** Money received beyond what the invoices owed (they were paid another way meanwhile): paid credit in the wallet. */
function surplusStatements(ctx: Pick<DomainContext, "clock" | "principal">, input: Input, paymentId: string, surplusMinor: number): RawStatement[] {
  if (surplusMinor <= 0) return [];
  return postingStatements(ctx, {
    orgId: input.orgId, kind: "card_payment", direction: "in", amountMinor: surplusMinor, currency: input.currency, gateway: input.gateway ?? null,
    reference: input.gatewayPaymentId ?? null, description: "Payment beyond the invoices' due amount, credited to the wallet",
    idempotencyKey: `payment:${paymentId}:surplus`,
    entries: [{ account: "cash", amountMinor: surplusMinor }, { account: "wallet_paid", amountMinor: -surplusMinor }],
  }).statements;
}

export function settleStatements(ctx: Pick<DomainContext, "clock" | "principal">, input: Input, p: { paymentId: string; existing: boolean; allocations: Allocation[]; surplusMinor: number }): RawStatement[] {
  const now = ctx.clock.now();
  const shares = p.allocations.flatMap((a) => invoiceShareStatements(now, p.paymentId, a));
  const money = input.channel === "wallet"
    ? walletStatements(ctx, input, p.paymentId, p.allocations)
    : p.allocations.flatMap((a) => postingStatements(ctx, gatewayPosting(input, p.paymentId, a)).statements);
  return [...paymentRowStatements(ctx, input, p.paymentId, p.existing), ...shares, ...money, ...surplusStatements(ctx, input, p.paymentId, p.surplusMinor)];
}
