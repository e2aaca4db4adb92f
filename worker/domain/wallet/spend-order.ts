/**
 * The documented order in which a wallet pays (used by wallet payments, next issue; ADR 011):
 *   1. free credit first, grant by grant, soonest-expiring first (grants without expiry last; ties: oldest first),
 *      skipping grants already expired on the day of the payment;
 *   2. then paid credit.
 * Pure: returns how much to take from each grant and from paid credit; never more than is available.
 */
export interface GrantBalance {
  id: string;
  remainingMinor: number;
  expiresAt: string | null;
  createdAt: number;
}

export function planWalletSpend(input: { amountMinor: number; today: string; grants: GrantBalance[]; paidMinor: number }): {
  fromGrants: Array<{ id: string; amountMinor: number }>;
  fromPaidMinor: number;
  uncoveredMinor: number;
} {
  let left = input.amountMinor;
  const usable = input.grants
    .filter((g) => g.remainingMinor > 0 && (g.expiresAt === null || g.expiresAt >= input.today))
    .sort((a, b) => {
      if (a.expiresAt !== b.expiresAt) {
        if (a.expiresAt === null) return 1;
        if (b.expiresAt === null) return -1;
        return a.expiresAt < b.expiresAt ? -1 : 1;
      }
      return a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1);
    });
  const fromGrants: Array<{ id: string; amountMinor: number }> = [];
  for (const g of usable) {
    if (left === 0) break;
    const take = Math.min(left, g.remainingMinor);
    fromGrants.push({ id: g.id, amountMinor: take });
    left -= take;
  }
  const fromPaidMinor = Math.min(left, Math.max(0, input.paidMinor));
  return { fromGrants, fromPaidMinor, uncoveredMinor: left - fromPaidMinor };
}
