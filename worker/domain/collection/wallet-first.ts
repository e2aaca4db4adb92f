/**
 * Before a card is charged, the wallet pays what it can, in ADR 011's order (`planWalletSpend`: free credit,
 * soonest-expiring first, then paid credit). Only wallets in the invoice's currency pay (wallets are kept in the
 * billing currency). The key is the invoice and what it had been paid before: a retry from the same state
 * replays, a later payment (after a top-up) is a new one.
 */
import { eq } from "drizzle-orm";
import { walletGrants } from "../../db/schema";
import type { DomainContext } from "../context";
import { getBillingCurrency } from "../wallet/currency";
import { todayUtc, walletBalances } from "../wallet/get-wallet";
import { planWalletSpend } from "../wallet/spend-order";
import type { PaymentInitiator, WalletSources } from "../../contract/collection";
import { settleInvoices } from "./settle";

export interface PayableInvoice {
  id: string;
  orgId: string;
  number: string | null;
  currency: string;
  totalMinor: number;
  amountPaidMinor: number;
}

export interface WalletPlan {
  coveredMinor: number;
  sources: WalletSources;
}

/** What the wallet can pay of `dueMinor` now (nothing is written). */
export async function planFromWallet(ctx: DomainContext, inv: PayableInvoice, dueMinor: number): Promise<WalletPlan> {
  const none = { coveredMinor: 0, sources: { fromGrants: [], fromPaidMinor: 0 } };
  const billing = await getBillingCurrency(ctx.db);
  if (billing.code !== inv.currency) return none;
  const [balances, grants] = await Promise.all([
    walletBalances(ctx.db, inv.orgId, inv.currency),
    ctx.db.select({ id: walletGrants.id, remainingMinor: walletGrants.remainingMinor, expiresAt: walletGrants.expiresAt, createdAt: walletGrants.createdAt }).from(walletGrants).where(eq(walletGrants.orgId, inv.orgId)),
  ]);
  if (balances.paidMinor + balances.freeMinor <= 0) return none;
  const plan = planWalletSpend({ amountMinor: dueMinor, today: todayUtc(ctx.clock.now()), grants, paidMinor: balances.paidMinor });
  return { coveredMinor: dueMinor - plan.uncoveredMinor, sources: { fromGrants: plan.fromGrants.filter((g) => g.amountMinor > 0), fromPaidMinor: plan.fromPaidMinor } };
}

/** Pays the planned part of the invoice from the wallet (the batch re-checks every balance it spends). */
export async function payFromWallet(ctx: DomainContext, inv: PayableInvoice, plan: WalletPlan, initiatedBy: PaymentInitiator): Promise<number> {
  const covered = plan.coveredMinor;
  if (covered <= 0) return 0;
  await settleInvoices({
    ctx,
    input: {
      orgId: inv.orgId, channel: "wallet", idempotencyKey: `wallet:${inv.id}:${inv.amountPaidMinor}`, amountMinor: covered, currency: inv.currency,
      initiatedBy, methodLabel: "Wallet", allocations: [{ invoiceId: inv.id, amountMinor: covered }],
      wallet: plan.sources,
    },
  });
  return covered;
}
