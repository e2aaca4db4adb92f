/**
 * The one card charge of "Pay all" (docs/decisions/019b-card-health-and-self-pay.md). Like an invoice attempt
 * (collection/attempt.ts) a `pending` row is written BEFORE the gateway is called, under ONE key for the whole
 * set, `pa:{orgId}:{attempt}` (unique: a double click or two tabs cannot both charge); an unanswered charge
 * stays pending and the next Pay all replays that same key before anything else.
 */
import { and, desc, gte, lt } from "drizzle-orm";
import { newId } from "../../db/ids";
import { isUniqueViolation } from "../../db/unique";
import { payments } from "../../db/schema";
import { DomainError } from "../../errors";
import { GatewayRequestError, GatewayTransientError, type ChargeOutcome } from "../../integrations/payments/gateway";
import { auditStatement } from "../audit/record";
import type { DomainContext } from "../context";
import { GatewayUnavailable, type PaymentRow } from "../collection/attempt";
import { declineStatements, nextDeclineCount } from "../collection/declines";
import { cardBlockedEmail, paymentFailedEmail } from "../collection/emails";
import { once, settledStatus } from "../collection/outcome";
import { dispatchEmails } from "../email/notify";
import type { CardGateway } from "../payments/card-gateway";
import type { CardRow } from "../payments/cards";

const keyPrefix = (orgId: string) => `pa:${orgId}:`;

/** The organization's Pay all charges so far, newest first (through the unique key index). */
export async function payAllAttempts(ctx: Pick<DomainContext, "db">, orgId: string): Promise<PaymentRow[]> {
  const p = keyPrefix(orgId);
  return ctx.db.select().from(payments).where(and(gte(payments.idempotencyKey, p), lt(payments.idempotencyKey, `${p}\uffff`))).orderBy(desc(payments.createdAt), desc(payments.id));
}

export async function openPayAllAttempt(ctx: DomainContext, a: { orgId: string; card: CardRow; gateway: string; amountMinor: number; currency: string; attempt: number }): Promise<PaymentRow> {
  const now = ctx.clock.now();
  const row: PaymentRow = {
    id: newId("payment", now), orgId: a.orgId, channel: "card", gateway: a.gateway, paymentMethodId: a.card.id, cardFingerprint: a.card.fingerprint,
    gatewayPaymentId: null, idempotencyKey: `${keyPrefix(a.orgId)}${a.attempt}`, amountMinor: a.amountMinor, currency: a.currency, status: "pending",
    declineCode: null, failureMessage: null, initiatedBy: "customer", actorUserId: ctx.principal?.userId ?? null, createdAt: now, updatedAt: now, settledAt: null,
  };
  try {
    await ctx.db.insert(payments).values(row);
  } catch (err) {
    if (isUniqueViolation(err, "payments")) throw new DomainError("PAYMENT_IN_PROGRESS", "A payment of your invoices is already in progress.");
    throw err;
  }
  return row;
}

/** The charge, on-session (the customer is here); errors without an answer leave the row pending. */
export async function chargePayAll(gw: CardGateway, p: PaymentRow, card: CardRow, invoiceNumbers: string[]): Promise<ChargeOutcome> {
  try {
    return await gw.gateway.charge({
      amountMinor: p.amountMinor, currency: p.currency, gatewayCustomerId: card.gatewayCustomerId, gatewayPaymentMethodId: card.gatewayPaymentMethodId,
      idempotencyKey: p.idempotencyKey, offSession: false,
      // Stripe caps a metadata value at 500 characters; the payment's allocations are the full record.
      metadata: { org_id: p.orgId, payment_id: p.id, purpose: "pay_all", invoice_numbers: invoiceNumbers.join(",").slice(0, 500) },
    });
  } catch (err) {
    if (err instanceof GatewayRequestError) throw new DomainError("CARD_REFUSED", `The gateway refused the payment: ${err.message}`);
    throw new GatewayUnavailable(err instanceof GatewayTransientError && err.rateLimited, p.id);
  }
}

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
