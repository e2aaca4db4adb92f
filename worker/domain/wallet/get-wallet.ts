import { and, asc, eq, sql } from "drizzle-orm";
import type { Wallet } from "../../contract/wallet";
import { ledgerEntries, organizations, walletGrants } from "../../db/schema";
import { notFound } from "../../errors";
import type { ActorContext, DomainContext } from "../context";
import { visibleOrganizations } from "../tenancy";
import { getBillingCurrency } from "./currency";

/** Balances come from the ledger only (credits are negative entries on the wallet accounts). */
export async function walletBalances(db: DomainContext["db"], orgId: string, currency: string): Promise<{ paidMinor: number; freeMinor: number }> {
  const rows = await db
    .select({ account: ledgerEntries.account, sum: sql<number>`COALESCE(SUM(${ledgerEntries.amountMinor}), 0)` })
    .from(ledgerEntries)
    .where(and(eq(ledgerEntries.orgId, orgId), eq(ledgerEntries.currency, currency), sql`${ledgerEntries.account} IN ('wallet_paid', 'wallet_free')`))
    .groupBy(ledgerEntries.account);
  const of = (a: string) => -Number(rows.find((r) => r.account === a)?.sum ?? 0);
  return { paidMinor: of("wallet_paid"), freeMinor: of("wallet_free") };
}

export const todayUtc = (now: number) => new Date(now).toISOString().slice(0, 10);

/** The organization's wallet (within the caller's tenancy): paid and free balances and the free-credit grants. */
export async function getWallet(args: { ctx: ActorContext; orgId: string }): Promise<Wallet> {
  const { ctx, orgId } = args;
  const org = await ctx.db
    .select({ id: organizations.id, name: organizations.name, kind: organizations.kind })
    .from(organizations)
    .where(and(eq(organizations.id, orgId), visibleOrganizations(ctx)))
    .get();
  if (!org || org.kind === "operator") throw notFound("Organization");
  const cur = await getBillingCurrency(ctx.db);
  const [balances, grants] = await Promise.all([
    walletBalances(ctx.db, orgId, cur.code),
    ctx.db.select().from(walletGrants).where(eq(walletGrants.orgId, orgId)).orderBy(asc(walletGrants.createdAt), asc(walletGrants.id)),
  ]);
  const today = todayUtc(ctx.clock.now());
  return {
    org,
    currency: cur.code,
    exponent: cur.exponent,
    ...balances,
    totalMinor: balances.paidMinor + balances.freeMinor,
    grants: grants.reverse().map((g) => ({
      id: g.id,
      amountMinor: g.amountMinor,
      remainingMinor: g.remainingMinor,
      expiresAt: g.expiresAt,
      status: g.expiresAt && g.expiresAt < today ? "expired" : g.remainingMinor === 0 ? "used" : "available",
      createdAt: new Date(g.createdAt).toISOString(),
    })),
  };
}
