/**
 * Pay now on a gateway's own page (ADR 016b "Paying an invoice"): a customer or reseller user pays one of their
 * own organization's unpaid invoices. Guards (own invoice, unpaid, the amount the person confirmed, a gateway
 * offering `hostedPage`), then the wallet pays first (ADR 019), then a `pending` payment row under
 * `adpay:{invoiceId}:{attempt}` is written BEFORE the gateway is asked, and that key is the order reference:
 * a double click or a retry after a lost answer gets the same payment page, never a second payment.
 */
import { and, eq } from "drizzle-orm";
import { StartHostedPaymentInput, type HostedPaymentStart } from "../../contract/hosted-pay";
import { invoices, payments } from "../../db/schema";
import { DomainError, notFound } from "../../errors";
import { GatewayRequestError } from "../../integrations/payments/gateway";
import { openKeyedAttempt, type PaymentRow } from "../collection/attempt";
import { payFromWallet, planFromWallet, type PayableInvoice } from "../collection/wallet-first";
import type { ActorContext } from "../context";
import { notUnpaid } from "../invoices/cancel";
import { ownOrg } from "../payments/cards";
import { webhookUrl } from "../payments/gateway-store";
import { hostedAttempts, hostedGateway, hostedKey, type HostedGateway } from "./gateway";
import { reconcileHostedPayment } from "./reconcile";

export async function startHostedPayment(args: { ctx: ActorContext; invoiceId: string; input: StartHostedPaymentInput }): Promise<HostedPaymentStart> {
  const input = StartHostedPaymentInput.parse(args.input);
  const { ctx } = args;
  const inv = await ownInvoice(ctx, args.invoiceId);
  if (input.expectedAmountMinor !== inv.totalMinor - inv.amountPaidMinor) throw changed();
  const gw = await hostedGateway(ctx);
  const attempts = await hostedAttempts(ctx, inv.id);
  const waiting = attempts[0]?.status === "pending" ? attempts[0] : null;
  // A page already made for this amount is shown again; one for another amount is withdrawn first.
  if (waiting && (await reconcileHostedPayment(ctx, waiting, gw)) === "pending") {
    if (waiting.amountMinor === input.expectedAmountMinor) return { status: "redirect", url: await pageOf(ctx, gw, inv, waiting), walletMinor: 0, amountMinor: waiting.amountMinor };
    const id = (await hostedAttempts(ctx, inv.id))[0]?.gatewayPaymentId;
    if (id) await gw.payments.cancel(id);
    if ((await reconcileHostedPayment(ctx, { ...waiting, gatewayPaymentId: id ?? null }, gw)) === "pending") throw new DomainError("PAYMENT_IN_PROGRESS", "A payment of this invoice is already in progress on the payment page.");
  }
  const now = await ownInvoice(ctx, inv.id);
  const due = now.totalMinor - now.amountPaidMinor;
  if (input.expectedAmountMinor !== due) throw changed();
  const walletMinor = await payFromWallet(ctx, now, await planFromWallet(ctx, now, due), "customer");
  if (walletMinor >= due) return { status: "paid", walletMinor, amountMinor: 0 };
  const p = await openKeyedAttempt(ctx, {
    orgId: now.orgId, card: null, channel: "adpay", gateway: "adpay", key: hostedKey(now.id, attempts.length + 1), amountMinor: due - walletMinor,
    currency: now.currency, initiatedBy: "customer", busy: "A payment of this invoice is already in progress.",
  });
  return { status: "redirect", url: await pageOf(ctx, gw, now, p), walletMinor, amountMinor: p.amountMinor };
}

const changed = () => new DomainError("CONFLICT", "The amount due changed since you opened this; review it and confirm again.");

async function ownInvoice(ctx: ActorContext, invoiceId: string): Promise<PayableInvoice> {
  const inv = await ctx.db.select({ id: invoices.id, orgId: invoices.orgId, number: invoices.number, status: invoices.status, currency: invoices.currency, totalMinor: invoices.totalMinor, amountPaidMinor: invoices.amountPaidMinor })
    .from(invoices).where(and(eq(invoices.id, invoiceId), eq(invoices.orgId, ownOrg(ctx)))).get();
  if (!inv || inv.status === "draft") throw notFound("Invoice");
  if (inv.status !== "unpaid") throw notUnpaid(inv.status);
  return inv;
}

/** The gateway's page for this payment: created (or, for the same order reference, found again) and its id kept. */
async function pageOf(ctx: ActorContext, gw: HostedGateway, inv: PayableInvoice, p: PaymentRow): Promise<string> {
  const origin = ctx.config.PUBLIC_ORIGIN.replace(/\/$/, "");
  let remote;
  try {
    remote = await gw.payments.create({
      orderRef: p.idempotencyKey, amountMinor: p.amountMinor, currency: p.currency, description: `Invoice ${inv.number ?? inv.id}`,
      returnUrl: `${origin}/billing/invoices/${encodeURIComponent(inv.id)}`, callbackUrl: webhookUrl(ctx.config, "adpay"),
    });
  } catch (err) {
    if (err instanceof GatewayRequestError) throw new DomainError("PAYMENTS_UNAVAILABLE", `The payment gateway refused the payment: ${err.message}`);
    throw new DomainError("PAYMENTS_UNAVAILABLE", "The payment gateway did not answer; try again in a moment (you will not pay twice).");
  }
  if (!p.gatewayPaymentId) await ctx.db.update(payments).set({ gatewayPaymentId: remote.paymentId, updatedAt: ctx.clock.now() }).where(and(eq(payments.id, p.id), eq(payments.status, "pending")));
  return remote.hostedUrl;
}
