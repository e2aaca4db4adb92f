/**
 * My Invoices >> "Pay now" with the card on file (docs/decisions/019b-card-health-and-self-pay.md): a customer or
 * reseller user pays one of their own organization's unpaid invoices. The charge itself is collection's
 * `chargeInvoice` (ADR 019: wallet first, one idempotency key per attempt, declines counted), started by the
 * customer; another organization's invoice is simply not found.
 */
import { and, eq } from "drizzle-orm";
import type { ChargeResult } from "../../contract/collection";
import { invoices } from "../../db/schema";
import { notFound } from "../../errors";
import { chargeInvoice } from "../collection/charge";
import type { ActorContext } from "../context";
import { ownOrg } from "../payments/cards";

export interface PayInvoiceInput {
  paymentMethodId?: string;
  /** The amount the person saw and confirmed; refused if the amount due changed since. */
  expectedAmountMinor?: number;
}

export async function payInvoice(args: { ctx: ActorContext; invoiceId: string; input: PayInvoiceInput }): Promise<ChargeResult & { invoiceStatus: string; amountPaidMinor: number }> {
  const { ctx, invoiceId, input } = args;
  const orgId = ownOrg(ctx);
  const own = await ctx.db.select({ id: invoices.id }).from(invoices).where(and(eq(invoices.id, invoiceId), eq(invoices.orgId, orgId))).get();
  if (!own) throw notFound("Invoice");
  const result = await chargeInvoice({ ctx, input: { invoiceId, initiatedBy: "customer", paymentMethodId: input.paymentMethodId, expectedAmountMinor: input.expectedAmountMinor } });
  const after = (await ctx.db.select({ status: invoices.status, amountPaidMinor: invoices.amountPaidMinor }).from(invoices).where(eq(invoices.id, invoiceId)).get())!;
  return { ...result, invoiceStatus: after.status, amountPaidMinor: after.amountPaidMinor };
}
