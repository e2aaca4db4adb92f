/**
 * The payer is back from the gateway's page (ADR 016b): the signed return redirect only says WHICH payment to
 * ask about. The signature is checked (a tampered or stale return is refused), the payment must be the caller's
 * organization's (else not found), and its outcome is asked of the gateway and applied (reconcile.ts) before the
 * portal says anything.
 */
import { and, eq } from "drizzle-orm";
import { HostedReturnInput, type HostedPaymentResult } from "../../contract/hosted-pay";
import { invoices, payments } from "../../db/schema";
import { DomainError, notFound } from "../../errors";
import { verifyAdpayReturn } from "../../integrations/payments/adpay";
import type { ActorContext } from "../context";
import { ownOrg } from "../payments/cards";
import { hostedGateway, invoiceOfKey } from "./gateway";
import { reconcileHostedPayment } from "./reconcile";

export async function confirmHostedReturn(args: { ctx: ActorContext; input: HostedReturnInput }): Promise<HostedPaymentResult> {
  const input = HostedReturnInput.parse(args.input);
  const { ctx } = args;
  const orgId = ownOrg(ctx);
  const gw = await hostedGateway(ctx);
  if (!(await verifyAdpayReturn(gw.secret, input))) {
    throw new DomainError("VALIDATION_FAILED", "This return from the payment page is not signed by the gateway (or is too old); open the invoice and check its status.");
  }
  const p = await ctx.db.select().from(payments)
    .where(and(eq(payments.gateway, gw.id), eq(payments.gatewayPaymentId, input.payment_id), eq(payments.orgId, orgId), eq(payments.idempotencyKey, input.order_ref))).get();
  if (!p) throw notFound("Payment");
  await reconcileHostedPayment(ctx, p, gw);
  const after = (await ctx.db.select().from(payments).where(eq(payments.id, p.id)).get())!;
  const inv = (await ctx.db.select({ status: invoices.status, amountPaidMinor: invoices.amountPaidMinor }).from(invoices).where(eq(invoices.id, invoiceOfKey(p.idempotencyKey))).get())!;
  const status = after.status === "succeeded" ? "paid" : after.status === "pending" ? "pending" : "failed";
  const message = status === "paid" ? "Thank you: your payment was received."
    : status === "pending" ? "The payment gateway has not confirmed the payment yet; this page updates when it does."
    : `The payment did not go through: ${after.failureMessage ?? "no reason given"}`;
  return { status, message, invoiceId: invoiceOfKey(p.idempotencyKey), invoiceStatus: inv.status, amountPaidMinor: inv.amountPaidMinor };
}
