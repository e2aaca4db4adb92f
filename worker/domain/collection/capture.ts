/**
 * Invoices » More » Capture Payment (billing.txt): for an unpaid invoice of an organization whose automatic
 * deduction is off, charge the due amount to its default online method after a confirmation showing the card
 * and amount (`previewCapture`). The wallet pays first, like every collection. Clear errors: no card, card
 * blocked, declined (with the reason), already paid, cancelled, Auto Payment on. Audited (payment rows and
 * the capture itself).
 */
import { eq } from "drizzle-orm";
import { CaptureInput, type CapturePreview, type ChargeResult } from "../../contract/collection";
import { autoPayments } from "../../db/schema";
import { atomically } from "../../db/atomic";
import { DomainError } from "../../errors";
import { auditStatement } from "../audit/record";
import type { ActorContext } from "../context";
import { notUnpaid } from "../invoices/cancel";
import { getInvoice } from "../invoices/read";
import { cardStatus } from "../payments/cards";
import { chargeableCard } from "./card";
import { chargeInvoice } from "./charge";
import { cardLabel } from "../../contract/payments";
import { planFromWallet } from "./wallet-first";

async function capturable(ctx: ActorContext, id: string) {
  const inv = await getInvoice({ ctx, id }); // tenancy: another tenant's invoice is NOT_FOUND
  if (inv.status !== "unpaid") throw notUnpaid(inv.status);
  const auto = await ctx.db.select({ enabled: autoPayments.enabled }).from(autoPayments).where(eq(autoPayments.orgId, inv.org.id)).get();
  if (auto?.enabled) throw new DomainError("CONFLICT", "This organization has Auto Payment on: its invoices are charged automatically.");
  return inv;
}

export async function previewCapture(args: { ctx: ActorContext; id: string }): Promise<CapturePreview> {
  const { ctx } = args;
  const inv = await capturable(ctx, args.id);
  const due = inv.totalMinor - inv.amountPaidMinor;
  const wallet = await planFromWallet(ctx, { id: inv.id, orgId: inv.org.id, number: inv.number, currency: inv.currency, totalMinor: inv.totalMinor, amountPaidMinor: inv.amountPaidMinor }, due);
  const card = wallet.coveredMinor < due ? await chargeableCard(ctx, inv.org.id) : null;
  return {
    invoiceId: inv.id, number: inv.number, currency: inv.currency, dueMinor: due, walletMinor: wallet.coveredMinor, cardMinor: due - wallet.coveredMinor,
    card: card ? { id: card.id, label: cardLabel(card), status: cardStatus(card, ctx.clock.now()) } : null,
  };
}

export async function capturePayment(args: { ctx: ActorContext; id: string; input: CaptureInput }): Promise<ChargeResult> {
  const input = CaptureInput.parse(args.input);
  const { ctx } = args;
  const inv = await capturable(ctx, args.id);
  const result = await chargeInvoice({ ctx, input: { invoiceId: inv.id, initiatedBy: "capture", expectedAmountMinor: input.expectedAmountMinor } });
  await atomically(ctx.db, [auditStatement(ctx, {
    action: "invoice.payment_captured", orgId: inv.org.id, targetType: "invoice", targetId: inv.id,
    after: { number: inv.number, status: result.status, walletMinor: result.walletMinor, cardMinor: result.cardMinor, declineCode: result.declineCode ?? null, paymentId: result.paymentId },
  })]);
  // The decline is recorded (payment history, decline count); the person sees it as an error with the reason.
  if (result.status === "declined") throw new DomainError("CARD_REFUSED", `The card was declined: ${result.message ?? result.declineCode}`);
  return result;
}
