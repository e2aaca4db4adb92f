/**
 * What a hosted payment became, always asked of the gateway (the status query), never taken from the browser's
 * return or a callback body (ADR 016b). Applied once, whichever of the return, the callback and the cron sweep
 * comes first:
 *   succeeded                   → settleInvoices (idempotent on the gateway payment id)
 *   failed, cancelled, expired  → the payment closed with the gateway's reason; the invoice stays unpaid
 *   pending                     → nothing yet
 */
import { and, eq, isNull } from "drizzle-orm";
import { invoices, payments } from "../../db/schema";
import { DomainError } from "../../errors";
import type { AdpayPayment } from "../../integrations/payments/adpay";
import type { PaymentRow } from "../collection/attempt";
import { recordClosed } from "../collection/outcome";
import { settleInvoices } from "../collection/settle";
import type { DomainContext } from "../context";
import { hostedGateway, invoiceOfKey, type HostedGateway } from "./gateway";

const CLOSED_WORDS: Record<string, string> = {
  cancelled: "The payment was cancelled on the payment page.",
  expired: "The payment page expired before the payment was completed.",
};

export async function reconcileHostedPayment(ctx: DomainContext, p: PaymentRow, known?: HostedGateway): Promise<AdpayPayment["status"]> {
  if (p.status !== "pending") return p.status === "succeeded" ? "succeeded" : "failed";
  const gw = known ?? (await hostedGateway(ctx));
  const remote = p.gatewayPaymentId ? await gw.payments.retrieve(p.gatewayPaymentId) : await gw.payments.findByOrderRef(p.idempotencyKey);
  if (!remote) return "pending";
  if (!p.gatewayPaymentId) await ctx.db.update(payments).set({ gatewayPaymentId: remote.paymentId }).where(and(eq(payments.id, p.id), isNull(payments.gatewayPaymentId)));
  // The order reference is ours and the amount was fixed when the page was made: anything else is not this payment.
  if (remote.orderRef !== p.idempotencyKey || remote.amountMinor !== p.amountMinor || remote.currency !== p.currency) {
    throw new DomainError("CONFLICT", "The gateway's payment does not match the one we started.");
  }
  const inv = await ctx.db.select({ id: invoices.id, orgId: invoices.orgId, number: invoices.number, currency: invoices.currency, totalMinor: invoices.totalMinor, amountPaidMinor: invoices.amountPaidMinor })
    .from(invoices).where(eq(invoices.id, invoiceOfKey(p.idempotencyKey))).get();
  if (!inv || inv.orgId !== p.orgId) throw new DomainError("CONFLICT", "The hosted payment's invoice is not its organization's.");
  if (remote.status === "succeeded") {
    await settleInvoices({
      ctx,
      input: {
        orgId: p.orgId, channel: "adpay", gateway: gw.id, gatewayPaymentId: remote.paymentId, idempotencyKey: p.idempotencyKey, amountMinor: p.amountMinor, currency: p.currency,
        initiatedBy: p.initiatedBy, methodLabel: remote.card ? `ADPAY (${remote.card.brand} •••• ${remote.card.last4})` : "ADPAY", allocations: [{ invoiceId: inv.id, amountMinor: p.amountMinor }],
      },
    });
  } else if (remote.status !== "pending") {
    const code = remote.failure?.code ?? remote.status;
    const message = remote.failure?.message ?? CLOSED_WORDS[remote.status] ?? "The payment did not complete.";
    await recordClosed(ctx, { p, inv, gatewayPaymentId: remote.paymentId, code, message });
  }
  return remote.status;
}

export async function paymentByGatewayId(ctx: Pick<DomainContext, "db">, gatewayPaymentId: string): Promise<PaymentRow | undefined> {
  const rows = await ctx.db.select().from(payments).where(eq(payments.gatewayPaymentId, gatewayPaymentId));
  return rows.find((r) => r.channel === "adpay");
}
