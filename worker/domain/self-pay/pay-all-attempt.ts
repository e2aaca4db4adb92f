/**
 * The one card charge of "Pay all" (docs/decisions/019b-card-health-and-self-pay.md). Like an invoice attempt
 * (collection/attempt.ts) a `pending` row is written BEFORE the gateway is called, under ONE key for the whole
 * set, `pa:{orgId}:{attempt}` (unique: a double click or two tabs cannot both charge); an unanswered charge
 * stays pending and the next Pay all replays that same key before anything else.
 */
import type { ChargeOutcome } from "../../integrations/payments/gateway";
import { auditStatement } from "../audit/record";
import type { DomainContext } from "../context";
import { attemptKey, chargeKeyed, keyedAttempts, openKeyedAttempt, type PaymentRow, type PlannedShare } from "../collection/attempt";
import { declineStatements, nextDeclineCount } from "../collection/declines";
import { cardBlockedEmail, paymentFailedEmail } from "../collection/emails";
import { once, settledStatus } from "../collection/outcome";
import { dispatchEmails } from "../email/notify";
import type { CardGateway } from "../payments/card-gateway";
import type { CardRow } from "../payments/cards";

const keyPrefix = attemptKey.payAll;

/** The organization's Pay all charges so far, newest first. */
export const payAllAttempts = (ctx: Pick<DomainContext, "db">, orgId: string): Promise<PaymentRow[]> => keyedAttempts(ctx, keyPrefix(orgId));

export const openPayAllAttempt = (ctx: DomainContext, a: { orgId: string; card: CardRow; gateway: string; amountMinor: number; currency: string; attempt: number; planned: PlannedShare[] }): Promise<PaymentRow> =>
  openKeyedAttempt(ctx, { ...a, key: `${keyPrefix(a.orgId)}${a.attempt}`, initiatedBy: "customer", busy: "A payment of your invoices is already in progress." });

/** The charge, on-session (the customer is here); its request is made from the row alone, so a replay is identical. */
export const chargePayAll = (gw: CardGateway, p: PaymentRow, card: CardRow): Promise<ChargeOutcome> =>
  // Stripe caps a metadata value at 500 characters; the payment's allocations are the full record.
  chargeKeyed(gw, p, card, { org_id: p.orgId, payment_id: p.id, purpose: "pay_all", invoice_numbers: payAllNumbers(p).join(",").slice(0, 500) });

export const payAllNumbers = (p: PaymentRow): string[] => (p.plannedAllocations ?? []).map((s) => s.number ?? s.invoiceId);

/** Declined: the reason on the payment, the decline counted against the card (Blocked at the limit), the emails, audit. */
export async function recordPayAllDecline(ctx: DomainContext, a: { p: PaymentRow; card: CardRow; gatewayPaymentId: string | null; code: string; message: string; invoiceNumbers: string[] }): Promise<void> {
  const { p, card } = a;
  const now = ctx.clock.now();
  const counted = await nextDeclineCount(ctx, card.fingerprint);
  const failed = await paymentFailedEmail(ctx, { orgId: p.orgId, paymentId: p.id, amountMinor: p.amountMinor, currency: p.currency, reason: a.message, last4: card.last4, invoiceNumber: a.invoiceNumbers.join(", "), nextAttemptAt: null });
  const blocked = counted.blocksNow ? await cardBlockedEmail(ctx, { orgId: p.orgId, fingerprint: card.fingerprint, brand: card.brand, last4: card.last4, count: counted.count, reason: a.message }) : null;
  const wrote = await once(ctx, [
    ...settledStatus(p, "failed", a.gatewayPaymentId, a.code, a.message, now),
    ...declineStatements(now, { fingerprint: card.fingerprint, code: a.code, reason: a.message, limit: counted.limit }),
    auditStatement(ctx, { action: "payment.failed", orgId: p.orgId, targetType: "payment", targetId: p.id, after: { payAll: a.invoiceNumbers, amountMinor: p.amountMinor, declineCode: a.code, reason: a.message, declines: counted.count } }),
    ...(counted.blocksNow ? [auditStatement(ctx, { action: "payments.card.blocked", orgId: p.orgId, targetType: "card", targetId: card.id, after: { last4: card.last4, declines: counted.count, limit: counted.limit } })] : []),
    ...failed.statements, ...(blocked?.statements ?? []),
  ]);
  if (wrote) await dispatchEmails(ctx, [...failed.messages, ...(blocked?.messages ?? [])]);
}

/** The bank asks for 3-D Secure: the invoices stay unpaid; the customer completes it in the portal (issue 11's 3-D Secure work). */
export async function recordPayAllRequiresAction(ctx: DomainContext, p: PaymentRow, gatewayPaymentId: string | null): Promise<void> {
  await once(ctx, [
    ...settledStatus(p, "requires_action", gatewayPaymentId, "authentication_required", "Authentication required.", ctx.clock.now()),
    auditStatement(ctx, { action: "payment.requires_action", orgId: p.orgId, targetType: "payment", targetId: p.id, after: { payAll: true, amountMinor: p.amountMinor } }),
  ]);
}
