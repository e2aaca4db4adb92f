/**
 * What a top-up and a free-credit allocation share: the organization check, the ledger posting, the audit row
 * (only if the posting was new), the `wallet.credited` email to the primary contact — all in ONE batch — and
 * the queue dispatch after commit. `requestKey` comes from the form: a retried or double-clicked submit
 * finds its transaction already posted and changes nothing.
 */
import { and, eq } from "drizzle-orm";
import { formatMoney } from "../../contract/money";
import type { Wallet } from "../../contract/wallet";
import { atomically, type RawStatement } from "../../db/atomic";
import { organizations } from "../../db/schema";
import { notFound } from "../../errors";
import { auditIfChanged } from "../audit/record";
import type { ActorContext } from "../context";
import { dispatchEmails, formatDate, prepareNotification } from "../email/notify";
import { postingStatements, type Posting } from "../ledger/post";
import { parseAmountMinor } from "./amount";
import { getBillingCurrency } from "./currency";
import { getWallet, walletBalances } from "./get-wallet";

export async function creditableOrg(ctx: ActorContext, orgId: string) {
  const org = await ctx.db.select({ id: organizations.id, name: organizations.name, kind: organizations.kind }).from(organizations).where(and(eq(organizations.id, orgId))).get();
  if (!org || org.kind === "operator") throw notFound("Organization");
  return org;
}

/** What every credit of a wallet starts from: the organization (not the operator's), the currency and the amount in minor units. */
export async function creditTarget(ctx: ActorContext, orgId: string, amount: string) {
  const org = await creditableOrg(ctx, orgId);
  const cur = await getBillingCurrency(ctx.db);
  return { org, cur, amountMinor: parseAmountMinor(amount, cur.exponent) };
}

export async function postCredit(
  ctx: ActorContext,
  args: { posting: Posting; audit: { action: string; after: Record<string, unknown> }; extra?: (transactionId: string) => RawStatement[]; kindLabel: string; expiresAt?: string | null; exponent: number },
): Promise<{ wallet: Wallet; created: boolean }> {
  const { posting } = args;
  const { transactionId, statements } = postingStatements(ctx, posting);
  const [txnInsert, ...entries] = statements;
  const before = await walletBalances(ctx.db, posting.orgId, posting.currency);
  const after = {
    paid: before.paidMinor + (posting.kind === "wallet_topup" ? posting.amountMinor : 0),
    free: before.freeMinor + (posting.kind === "free_credit" ? posting.amountMinor : 0),
  };
  const money = (m: number) => formatMoney(m, posting.currency, args.exponent);
  const mail = await prepareNotification(ctx, {
    event: "wallet.credited",
    orgId: posting.orgId,
    to: { primaryContactOf: posting.orgId },
    tags: {
      "wallet.credit_amount": money(posting.amountMinor),
      "wallet.credit_kind": args.kindLabel,
      "wallet.balance_paid": money(after.paid),
      "wallet.balance_free": money(after.free),
      "wallet.credit_expires_at": args.expiresAt ? formatDate(Date.parse(`${args.expiresAt}T00:00:00Z`)) : "",
    },
    idempotencyKey: `wallet.credited:${posting.idempotencyKey}`,
  });
  const results = await atomically(ctx.db, [
    txnInsert!,
    // Directly after the transaction insert: no audit row (and nothing else) when this was a replay.
    auditIfChanged(ctx, { action: args.audit.action, orgId: posting.orgId, targetType: "ledger_transaction", targetId: transactionId, after: args.audit.after }),
    ...entries,
    ...(args.extra?.(transactionId) ?? []),
    ...mail.statements,
  ]);
  const created = Boolean(results[0]?.meta.changes);
  if (created) await dispatchEmails(ctx, mail.messages);
  return { wallet: await getWallet({ ctx, orgId: posting.orgId }), created };
}
