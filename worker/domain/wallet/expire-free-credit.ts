/**
 * The expiry job (cron): every grant whose last usable day is before today (UTC) and that still has credit
 * left gets a `free_credit_expired` transaction for what remains (wallet_free ↓, promotions ↓, direction
 * `out`) and its remaining amount set to 0 — in one batch, posted only if the remaining amount is still the
 * one read (a concurrent wallet payment wins, the next run expires the rest). Idempotent per grant.
 */
import { and, asc, gt, isNotNull, lt } from "drizzle-orm";
import { atomically, rawStatement } from "../../db/atomic";
import { walletGrants } from "../../db/schema";
import type { DomainContext } from "../context";
import { postingStatements } from "../ledger/post";
import { getBillingCurrency } from "./currency";
import { todayUtc } from "./get-wallet";

export async function expireFreeCredit(ctx: Pick<DomainContext, "db" | "clock">, opts: { batchSize?: number } = {}): Promise<{ expired: number }> {
  const today = todayUtc(ctx.clock.now());
  const cur = await getBillingCurrency(ctx.db);
  let expired = 0;
  for (;;) {
    const due = await ctx.db
      .select()
      .from(walletGrants)
      .where(and(isNotNull(walletGrants.expiresAt), lt(walletGrants.expiresAt, today), gt(walletGrants.remainingMinor, 0)))
      .orderBy(asc(walletGrants.expiresAt), asc(walletGrants.id))
      .limit(opts.batchSize ?? 50);
    if (due.length === 0) break;
    let progressed = false;
    for (const g of due) {
      const { transactionId, statements } = postingStatements(ctx, {
        orgId: g.orgId, kind: "free_credit_expired", direction: "out", amountMinor: g.remainingMinor, currency: cur.code,
        description: `Free credit expired (granted ${new Date(g.createdAt).toISOString().slice(0, 10)}, last day ${g.expiresAt})`,
        idempotencyKey: `free_credit_expired:${g.id}:${g.remainingMinor}`,
        guard: { sql: "EXISTS (SELECT 1 FROM wallet_grants WHERE id = ? AND remaining_minor = ?)", params: [g.id, g.remainingMinor] },
        entries: [{ account: "wallet_free", amountMinor: g.remainingMinor }, { account: "promotions", amountMinor: -g.remainingMinor }],
      });
      const results = await atomically(ctx.db, [
        ...statements,
        rawStatement("UPDATE wallet_grants SET remaining_minor = 0 WHERE id = ? AND remaining_minor = ? AND EXISTS (SELECT 1 FROM ledger_transactions WHERE id = ?)", [g.id, g.remainingMinor, transactionId]),
      ]);
      if (results[results.length - 1]?.meta.changes) {
        expired++;
        progressed = true;
      }
    }
    if (!progressed) break;
  }
  return { expired };
}
