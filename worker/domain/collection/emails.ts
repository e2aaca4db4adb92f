/**
 * The collection emails (catalogue: worker/contract/email-events.ts), prepared for the outbox of the batch that
 * records what happened: "payment.succeeded", "payment.failed", "card.blocked". Each key derives from the payment
 * (or card and count), so a replayed batch never queues a second copy.
 */
import { paymentInfoUrl } from "../payments/urls";
export { paymentInfoUrl };
import { inArray } from "drizzle-orm";
import type { Allocation, SettleParsed } from "../../contract/collection";
import { currency } from "../../contract/currencies";
import { formatMoney } from "../../contract/money";
import { brandLabel } from "../../contract/payments";
import { invoices } from "../../db/schema";
import type { DomainContext } from "../context";
import { formatDate, prepareNotification, type PreparedEmails } from "../email/notify";

export const moneyIn = (minor: number, code: string) => formatMoney(minor, code, currency(code).exponent);

export async function paymentReceivedEmail(ctx: DomainContext, input: SettleParsed, paymentId: string, allocations: Allocation[]): Promise<PreparedEmails> {
  const ids = allocations.map((a) => a.invoiceId);
  const rows = ids.length
    ? await ctx.db.select({ id: invoices.id, number: invoices.number, totalMinor: invoices.totalMinor, paidMinor: invoices.amountPaidMinor }).from(invoices).where(inArray(invoices.id, ids))
    : [];
  const share = new Map(allocations.map((a) => [a.invoiceId, a.amountMinor]));
  const stillDue = rows.reduce((s, r) => s + Math.max(0, r.totalMinor - r.paidMinor - (share.get(r.id) ?? 0)), 0);
  return prepareNotification(ctx, {
    event: "payment.succeeded", orgId: input.orgId, to: { primaryContactOf: input.orgId },
    tags: {
      "payment.amount": moneyIn(input.amountMinor, input.currency),
      "payment.date": formatDate(ctx.clock.now()),
      "payment.method": input.methodLabel ?? (input.channel === "wallet" ? "Wallet" : "Online payment"),
      "payment.reference": input.gatewayPaymentId ?? paymentId,
      "invoice.number": rows.map((r) => r.number ?? r.id).join(", "),
      "invoice.amount_due": moneyIn(stillDue, input.currency),
    },
    idempotencyKey: `payment.succeeded:${paymentId}`,
  });
}

export function paymentFailedEmail(ctx: DomainContext, f: { orgId: string; paymentId: string; amountMinor: number; currency: string; reason: string; last4: string; invoiceNumber: string; nextAttemptAt: number | null }): Promise<PreparedEmails> {
  return prepareNotification(ctx, {
    event: "payment.failed", orgId: f.orgId, to: { primaryContactOf: f.orgId },
    tags: {
      "payment.amount": moneyIn(f.amountMinor, f.currency),
      "payment.failure_reason": f.reason,
      "card.last4": f.last4,
      "payment.next_attempt_date": f.nextAttemptAt ? formatDate(f.nextAttemptAt) : "None scheduled",
      "billing.payment_info_url": paymentInfoUrl(ctx),
      "invoice.number": f.invoiceNumber,
    },
    idempotencyKey: `payment.failed:${f.paymentId}`,
  });
}

export function cardBlockedEmail(ctx: DomainContext, b: { orgId: string; fingerprint: string; brand: string; last4: string; count: number; reason: string }): Promise<PreparedEmails> {
  return prepareNotification(ctx, {
    event: "card.blocked", orgId: b.orgId, to: { primaryContactOf: b.orgId },
    tags: {
      "card.brand": brandLabel(b.brand), "card.last4": b.last4, "card.decline_count": String(b.count),
      "card.last_decline_reason": b.reason, "billing.payment_info_url": paymentInfoUrl(ctx),
    },
    idempotencyKey: `card.blocked:${b.orgId}:${b.fingerprint}:${b.count}`,
  });
}
