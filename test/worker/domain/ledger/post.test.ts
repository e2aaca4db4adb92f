import { env } from "cloudflare:workers";
import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { atomically } from "../../../../worker/db/atomic";
import { ledgerEntries, ledgerTransactions } from "../../../../worker/db/schema";
import { postingStatements, UnbalancedPostingError, type Posting } from "../../../../worker/domain/ledger/post";
import { fixedClock } from "../../../../worker/integrations/clock";
import { createOrg, db } from "../../../factories";
import { testNow } from "../../../clock";

const ctx = { clock: fixedClock(testNow()) };

function topup(orgId: string, key: string, amount = 5000): Posting {
  return {
    orgId, kind: "wallet_topup", direction: "in", amountMinor: amount, currency: "EUR", idempotencyKey: key,
    entries: [{ account: "cash", amountMinor: amount }, { account: "wallet_paid", amountMinor: -amount }],
  };
}

describe("ledger postings", () => {
  it("writes one balanced transaction per business event, once", async () => {
    const org = await createOrg();
    const key = `topup:${crypto.randomUUID()}`;
    for (let i = 0; i < 3; i++) await atomically(db(), postingStatements(ctx, topup(org.id, key)).statements);
    const txns = await db().select().from(ledgerTransactions).where(eq(ledgerTransactions.orgId, org.id));
    expect(txns).toHaveLength(1);
    const entries = await db().select().from(ledgerEntries).where(eq(ledgerEntries.transactionId, txns[0]!.id));
    expect(entries.map((e) => [e.account, e.amountMinor]).sort()).toEqual([["cash", 5000], ["wallet_paid", -5000]]);
  });

  it("refuses unbalanced postings before touching the database", () => {
    const bad = { ...topup("org_x", "k"), entries: [{ account: "cash" as const, amountMinor: 5000 }, { account: "wallet_paid" as const, amountMinor: -4999 }] };
    expect(() => postingStatements(ctx, bad)).toThrow(UnbalancedPostingError);
  });

  it("is append-only: entries and completed transactions cannot be changed or deleted", async () => {
    const org = await createOrg();
    await atomically(db(), postingStatements(ctx, topup(org.id, `k:${crypto.randomUUID()}`)).statements);
    const txn = (await db().select().from(ledgerTransactions).where(eq(ledgerTransactions.orgId, org.id)).get())!;
    await expect(env.DB.prepare("UPDATE ledger_entries SET amount_minor = 1 WHERE transaction_id = ?").bind(txn.id).run()).rejects.toThrow(/append-only/);
    await expect(env.DB.prepare("DELETE FROM ledger_entries WHERE transaction_id = ?").bind(txn.id).run()).rejects.toThrow(/append-only/);
    await expect(env.DB.prepare("UPDATE ledger_transactions SET amount_minor = 1 WHERE id = ?").bind(txn.id).run()).rejects.toThrow(/append-only/);
    await expect(env.DB.prepare("UPDATE ledger_transactions SET status = 'failed' WHERE id = ?").bind(txn.id).run()).rejects.toThrow(/append-only/);
    await expect(env.DB.prepare("DELETE FROM ledger_transactions WHERE id = ?").bind(txn.id).run()).rejects.toThrow(/append-only/);
    const total = await db().get<{ s: number }>(sql`SELECT COALESCE(SUM(amount_minor), 0) AS s FROM ledger_entries WHERE org_id = ${org.id}`);
    expect(total!.s).toBe(0);
  });
});
