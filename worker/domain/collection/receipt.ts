/**
 * A receipt for one succeeded payment (docs/decisions/019b-card-health-and-self-pay.md): payer, date, method
 * (brand •••• last4, or the wallet), amount, each invoice paid with its share, the payment reference. Tenancy as
 * for invoices (`ownedByVisibleOrg`): another tenant's payment, or one that did not succeed, is NOT_FOUND.
 */
import { and, asc, eq } from "drizzle-orm";
import { currency } from "../../contract/currencies";
import { invoices, organizations, paymentAllocations, paymentMethods, payments } from "../../db/schema";
import { notFound } from "../../errors";
import type { ActorContext } from "../context";
import { ownedByVisibleOrg } from "../tenancy";
import { cardLabel } from "../../contract/payments";

export interface Receipt {
  paymentId: string;
  reference: string;
  payer: string;
  paidAt: number;
  method: string;
  amountMinor: number;
  currency: string;
  exponent: number;
  invoices: Array<{ number: string; amountMinor: number }>;
  /** Money beyond the invoices' due amounts, credited to the wallet (settle.ts). */
  creditedMinor: number;
}

export async function getReceipt(args: { ctx: ActorContext; paymentId: string }): Promise<Receipt> {
  const { ctx, paymentId } = args;
  const p = await ctx.db.select({ pay: payments, orgName: organizations.name, legalName: organizations.legalName }).from(payments)
    .innerJoin(organizations, eq(organizations.id, payments.orgId))
    .where(and(eq(payments.id, paymentId), eq(payments.status, "succeeded"), ownedByVisibleOrg(ctx, payments.orgId))).get();
  if (!p) throw notFound("Payment");
  const [shares, card] = await Promise.all([
    ctx.db.select({ number: invoices.number, id: invoices.id, amountMinor: paymentAllocations.amountMinor }).from(paymentAllocations)
      .innerJoin(invoices, eq(invoices.id, paymentAllocations.invoiceId)).where(eq(paymentAllocations.paymentId, paymentId)).orderBy(asc(invoices.issueDate), asc(invoices.id)),
    p.pay.paymentMethodId ? ctx.db.select({ brand: paymentMethods.brand, last4: paymentMethods.last4 }).from(paymentMethods).where(eq(paymentMethods.id, p.pay.paymentMethodId)).get() : undefined,
  ]);
  const allocated = shares.reduce((s, r) => s + r.amountMinor, 0);
  return {
    paymentId, reference: p.pay.gatewayPaymentId ?? p.pay.id, payer: p.legalName ?? p.orgName, paidAt: p.pay.settledAt ?? p.pay.updatedAt,
    method: p.pay.channel === "wallet" ? "Wallet" : card ? cardLabel(card) : p.pay.channel === "adpay" ? "ADPAY" : "Card",
    amountMinor: p.pay.amountMinor, currency: p.pay.currency, exponent: currency(p.pay.currency).exponent,
    invoices: shares.map((s) => ({ number: s.number ?? s.id, amountMinor: s.amountMinor })), creditedMinor: p.pay.amountMinor - allocated,
  };
}
