/**
 * The wallet's part of "Pay all" (docs/decisions/019b-card-health-and-self-pay.md): ONE wallet payment with a
 * share per invoice (oldest first), through `settleInvoices` (strict: nothing has moved yet). Its key is the set
 * and what each invoice had been paid, so a replay from the same state replays, a later state is a new payment.
 */
import type { DomainContext } from "../context";
import { settleInvoices } from "../collection/settle";
import type { PayAllPlan } from "./pay-all-plan";

async function stateKey(plan: PayAllPlan): Promise<string> {
  const text = plan.shares.map((s) => `${s.invoiceId}:${plan.paidBefore.get(s.invoiceId) ?? 0}`).join(",");
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)));
  return [...digest.slice(0, 16)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** Pays the wallet's shares; the wallet payment's id, or null when the wallet pays nothing. */
export async function payWalletShares(ctx: DomainContext, plan: PayAllPlan): Promise<string | null> {
  const shares = plan.shares.filter((s) => s.walletMinor > 0);
  if (shares.length === 0) return null;
  const settled = await settleInvoices({
    ctx,
    input: {
      orgId: plan.orgId, channel: "wallet", idempotencyKey: `wallet:all:${plan.orgId}:${await stateKey(plan)}`, amountMinor: plan.walletMinor, currency: plan.currency,
      initiatedBy: "customer", methodLabel: "Wallet", allocations: shares.map((s) => ({ invoiceId: s.invoiceId, amountMinor: s.walletMinor })), wallet: plan.wallet.sources,
    },
  });
  return settled.paymentId;
}
