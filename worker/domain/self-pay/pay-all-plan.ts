/**
 * What "Pay all" would pay (docs/decisions/019b-card-health-and-self-pay.md): the organization's unpaid invoices
 * in one currency (the oldest invoice's), oldest first (issue date, then id), at most MAX_INVOICES; the wallet
 * pays first, in ADR 011's order, from the oldest invoice on; the rest is one card charge. Nothing is written.
 */
import { and, asc, eq } from "drizzle-orm";
import type { PayAllShare } from "../../contract/pay-all";
import { currency as currencyInfo } from "../../contract/currencies";
import { invoices } from "../../db/schema";
import { DomainError } from "../../errors";
import type { DomainContext } from "../context";
import { invoicesWithOpenAttempt } from "../collection/attempt";
import { planFromWallet, type WalletPlan } from "../collection/wallet-first";

/** One payment's invoices: well under settleInvoices' 90 allocations and D1's 100 bound parameters. */
export const MAX_INVOICES = 50;

export interface PayAllPlan {
  orgId: string;
  currency: string;
  exponent: number;
  totalMinor: number;
  walletMinor: number;
  cardMinor: number;
  wallet: WalletPlan;
  shares: PayAllShare[];
  /** Each invoice's amount paid before, part of the wallet payment's key (a later state is a new payment). */
  paidBefore: Map<string, number>;
  leftOutCount: number;
}

export const nothingDue = () => new DomainError("INVOICE_NOT_UNPAID", "Your organization has no unpaid invoices to pay.");

export async function planPayAll(ctx: DomainContext, orgId: string): Promise<PayAllPlan> {
  const rows = await ctx.db.select({ id: invoices.id, number: invoices.number, issueDate: invoices.issueDate, currency: invoices.currency, totalMinor: invoices.totalMinor, amountPaidMinor: invoices.amountPaidMinor })
    .from(invoices).where(and(eq(invoices.orgId, orgId), eq(invoices.status, "unpaid"))).orderBy(asc(invoices.issueDate), asc(invoices.id)).limit(500);
  const due = rows.filter((r) => r.totalMinor > r.amountPaidMinor);
  if (due.length === 0) throw nothingDue();
  // An invoice whose own charge has no final answer yet stays out: both charges could succeed (attempt.ts).
  const busy = await invoicesWithOpenAttempt(ctx, orgId);
  const open = due.filter((r) => !busy.has(r.id));
  if (open.length === 0) throw new DomainError("PAYMENT_IN_PROGRESS", "A payment of each of your unpaid invoices is already in progress.");
  const code = open[0]!.currency;
  const chosen = open.filter((r) => r.currency === code).slice(0, MAX_INVOICES);
  const totalMinor = chosen.reduce((s, r) => s + r.totalMinor - r.amountPaidMinor, 0);
  // The wallet plan is made for the whole amount; its invoice is only the organization and currency it pays in.
  const wallet = await planFromWallet(ctx, { id: chosen[0]!.id, orgId, number: null, currency: code, totalMinor, amountPaidMinor: 0 }, totalMinor);
  let walletLeft = wallet.coveredMinor;
  const shares = chosen.map((r) => {
    const dueMinor = r.totalMinor - r.amountPaidMinor;
    const walletMinor = Math.min(walletLeft, dueMinor);
    walletLeft -= walletMinor;
    return { invoiceId: r.id, number: r.number, issueDate: r.issueDate, dueMinor, walletMinor, cardMinor: dueMinor - walletMinor };
  });
  return {
    orgId, currency: code, exponent: currencyInfo(code).exponent, totalMinor, walletMinor: wallet.coveredMinor, cardMinor: totalMinor - wallet.coveredMinor,
    wallet, shares, paidBefore: new Map(chosen.map((r) => [r.id, r.amountPaidMinor])), leftOutCount: due.length - chosen.length,
  };
}
