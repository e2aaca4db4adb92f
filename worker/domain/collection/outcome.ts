/**
 * Recording a card attempt that did not pay (docs/decisions/019-collection.md), each in ONE batch guarded on the
 * payment still being pending (a replayed answer writes nothing twice):
 * - declined: reason on the payment history, the invoice marked failed, the fingerprint's decline count (and the
 *   block at the limit), the retry schedule, "payment.failed" (and "card.blocked"), audit;
 * - needs authentication: the invoice stays unpaid (action required) and the customer gets a link to pay it in
 *   the portal.
 */
import { abortUnlessChanged, atomically, isGuardAbort, rawStatement } from "../../db/atomic";
import { auditStatement } from "../audit/record";
import type { DomainContext } from "../context";
import { dispatchEmails, prepareNotification } from "../email/notify";
import type { CardRow } from "../payments/cards";
import type { PaymentRow } from "./attempt";
import { declineStatements, isHardDecline, nextDeclineCount } from "./declines";
import { cardBlockedEmail, moneyIn, paymentFailedEmail, paymentInfoUrl } from "./emails";
import { collectionStatement, nextRetry } from "./retries";
import type { PayableInvoice } from "./wallet-first";

/** A saved card, or one entered for a single payment (Pay now with a new card: no row of ours, id null). */
export type AttemptCard = Pick<CardRow, "fingerprint" | "brand" | "last4"> & { id: string | null };

// A pending attempt may end any way; one waiting for the customer's authentication (requires_action) may still
// fail or be closed (ADR 019, "3-D Secure"), but never goes back to waiting.
export const settledStatus = (p: PaymentRow, status: "failed" | "requires_action", gatewayPaymentId: string | null, code: string | null, message: string | null, now: number) => [
  rawStatement(`UPDATE payments SET status = ?, gateway_payment_id = COALESCE(?, gateway_payment_id), decline_code = ?, failure_message = ?, updated_at = ?
    WHERE id = ? AND (status = 'pending' OR (status = 'requires_action' AND ? = 'failed'))`,
    [status, gatewayPaymentId, code, message, now, p.id, status]),
  abortUnlessChanged(),
];

/** Runs the batch; false when the payment was no longer pending (someone recorded it first). */
export async function once(ctx: DomainContext, statements: Parameters<typeof atomically>[1]): Promise<boolean> {
  try {
    await atomically(ctx.db, statements);
    return true;
  } catch (err) {
    if (isGuardAbort(err)) return false;
    throw err;
  }
}

export async function recordDecline(ctx: DomainContext, a: { p: PaymentRow; inv: PayableInvoice; card: AttemptCard; gatewayPaymentId: string | null; code: string; message: string; doNotRetry: boolean }): Promise<void> {
  const { p, inv, card } = a;
  const now = ctx.clock.now();
  const hard = isHardDecline(a.code, a.doNotRetry);
  const counted = await nextDeclineCount(ctx, card.fingerprint);
  const retry = await nextRetry(ctx, { invoiceId: inv.id, fingerprint: card.fingerprint, hard, blocked: counted.count >= counted.limit, automatic: p.initiatedBy === "auto" || p.initiatedBy === "retry" });
  const failed = await paymentFailedEmail(ctx, { orgId: inv.orgId, paymentId: p.id, amountMinor: p.amountMinor, currency: p.currency, reason: a.message, last4: card.last4, invoiceNumber: inv.number ?? inv.id, nextAttemptAt: retry.at });
  const blocked = counted.blocksNow ? await cardBlockedEmail(ctx, { orgId: inv.orgId, fingerprint: card.fingerprint, brand: card.brand, last4: card.last4, count: counted.count, reason: a.message }) : null;
  const wrote = await once(ctx, [
    ...settledStatus(p, "failed", a.gatewayPaymentId, a.code, a.message, now),
    rawStatement(`UPDATE invoices SET payment_state = 'failed', updated_at = ? WHERE id = ? AND status = 'unpaid'`, [now, inv.id]),
    ...declineStatements(now, { fingerprint: card.fingerprint, code: a.code, reason: a.message, limit: counted.limit }),
    collectionStatement(now, { invoiceId: inv.id, orgId: inv.orgId, at: retry.at, stopped: retry.stopped, code: a.code, message: a.message }),
    auditStatement(ctx, { action: "payment.failed", orgId: inv.orgId, targetType: "payment", targetId: p.id, after: { invoice: inv.number, amountMinor: p.amountMinor, declineCode: a.code, reason: a.message, declines: counted.count, nextAttemptAt: retry.at, stopped: retry.stopped } }),
    ...(counted.blocksNow ? [auditStatement(ctx, { action: "payments.card.blocked", orgId: inv.orgId, targetType: "card", targetId: card.id ?? card.fingerprint, after: { last4: card.last4, declines: counted.count, limit: counted.limit } })] : []),
    ...failed.statements, ...(blocked?.statements ?? []),
  ]);
  if (wrote) await dispatchEmails(ctx, [...failed.messages, ...(blocked?.messages ?? [])]);
}

export async function recordRequiresAction(ctx: DomainContext, a: { p: PaymentRow; inv: PayableInvoice; card: AttemptCard; gatewayPaymentId: string | null; message: string }): Promise<void> {
  const { p, inv } = a;
  const now = ctx.clock.now();
  // The customer paying in the portal authenticates right there: no email with a link to where they already are.
  // The link opens Payment Info's "Confirm your payment" (web/pages/payments/ConfirmPayment.tsx), the page allowed to load Stripe.js.
  const mail = p.initiatedBy === "customer" ? { statements: [], messages: [] } : await prepareNotification(ctx, {
    event: "payment.action_required", orgId: inv.orgId, to: { primaryContactOf: inv.orgId },
    tags: { "payment.amount": moneyIn(p.amountMinor, p.currency), "invoice.number": inv.number ?? inv.id, "card.last4": a.card.last4, "portal.pay_url": `${paymentInfoUrl(ctx)}?confirm=${encodeURIComponent(inv.id)}` },
    idempotencyKey: `payment.action_required:${p.id}`,
  });
  const wrote = await once(ctx, [
    ...settledStatus(p, "requires_action", a.gatewayPaymentId, "authentication_required", a.message, now),
    rawStatement(`UPDATE invoices SET payment_state = 'action_required', updated_at = ? WHERE id = ? AND status = 'unpaid'`, [now, inv.id]),
    auditStatement(ctx, { action: "payment.requires_action", orgId: inv.orgId, targetType: "payment", targetId: p.id, after: { invoice: inv.number, amountMinor: p.amountMinor } }),
    ...mail.statements,
  ]);
  if (wrote) await dispatchEmails(ctx, mail.messages);
}

/**
 * An attempt that ended without a decline by the bank: 3-D Secure failed or abandoned, superseded by a new
 * attempt, cancelled at the gateway. The reason is on the payment history, the invoice is free for a new attempt,
 * nothing counts against the card (the bank declined nothing) and no automatic retry is scheduled.
 */
export async function recordClosed(ctx: DomainContext, a: { p: PaymentRow; inv: PayableInvoice; gatewayPaymentId: string | null; code: string; message: string }): Promise<boolean> {
  const { p, inv } = a;
  const now = ctx.clock.now();
  return once(ctx, [
    ...settledStatus(p, "failed", a.gatewayPaymentId, a.code, a.message, now),
    rawStatement(`UPDATE invoices SET payment_state = 'failed', updated_at = ? WHERE id = ? AND status = 'unpaid'`, [now, inv.id]),
    auditStatement(ctx, { action: "payment.closed", orgId: inv.orgId, targetType: "payment", targetId: p.id, after: { invoice: inv.number, amountMinor: p.amountMinor, code: a.code, reason: a.message } }),
  ]);
}

/** The gateway refused the request itself (not the card): the attempt failed, nothing counted against the card. */
export async function recordRefused(ctx: DomainContext, p: PaymentRow, message: string): Promise<void> {
  await once(ctx, settledStatus(p, "failed", null, "gateway_refused", message, ctx.clock.now()));
}
