import { formatMoney } from "../../contract/money";
import { FreeCreditInput, type Wallet } from "../../contract/wallet";
import { rawStatement } from "../../db/atomic";
import { newId } from "../../db/ids";
import { validationFailed } from "../../errors";
import type { ActorContext } from "../context";
import { creditTarget, postCredit } from "./credit";
import { todayUtc } from "./get-wallet";

/**
 * "Allocate Free Credit": a promotion becomes free wallet credit (promotions ↑, wallet_free ↑) with a grant row
 * that remembers the optional expiry (the last day it can be used) and how much of it remains.
 */
export async function allocateFreeCredit(args: { ctx: ActorContext; orgId: string; input: FreeCreditInput }): Promise<{ wallet: Wallet; created: boolean }> {
  const input = FreeCreditInput.parse(args.input);
  const { ctx } = args;
  const { org, cur, amountMinor } = await creditTarget(ctx, args.orgId, input.amount);
  if (input.expiresAt && input.expiresAt < todayUtc(ctx.clock.now())) throw validationFailed({ expiresAt: "The expiry date is in the past." });
  const now = ctx.clock.now();
  const grantId = newId("walletGrant", now);
  return postCredit(ctx, {
    posting: {
      orgId: org.id, kind: "free_credit", direction: "in", amountMinor, currency: cur.code,
      description: input.description ?? (input.expiresAt ? `Free credit (expires ${input.expiresAt})` : "Free credit"),
      idempotencyKey: `free_credit:${org.id}:${input.requestKey}`,
      entries: [{ account: "promotions", amountMinor }, { account: "wallet_free", amountMinor: -amountMinor }],
    },
    extra: (transactionId) => [
      rawStatement(
        `INSERT INTO wallet_grants (id, org_id, transaction_id, amount_minor, remaining_minor, expires_at, created_at)
         SELECT ?, ?, ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM ledger_transactions WHERE id = ?)`,
        [grantId, org.id, transactionId, amountMinor, amountMinor, input.expiresAt, now, transactionId],
      ),
    ],
    audit: { action: "wallet.free_credit_allocated", after: { amount: formatMoney(amountMinor, cur.code, cur.exponent), expiresAt: input.expiresAt, description: input.description } },
    kindLabel: "Free credit",
    expiresAt: input.expiresAt,
    exponent: cur.exponent,
  });
}
