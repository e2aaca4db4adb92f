import { formatMoney } from "../../contract/money";
import { TopUpInput, type Wallet } from "../../contract/wallet";
import type { ActorContext } from "../context";
import { creditTarget, postCredit } from "./credit";

/**
 * "Top Up": money the organization paid the operator outside the portal becomes paid wallet credit
 * (cash ↑, wallet_paid ↑). Paid credit never expires. Direction `in` (income in Transaction Logs).
 */
export async function topUpWallet(args: { ctx: ActorContext; orgId: string; input: TopUpInput }): Promise<{ wallet: Wallet; created: boolean }> {
  const input = TopUpInput.parse(args.input);
  const { ctx } = args;
  const { org, cur, amountMinor } = await creditTarget(ctx, args.orgId, input.amount);
  return postCredit(ctx, {
    posting: {
      orgId: org.id, kind: "wallet_topup", direction: "in", amountMinor, currency: cur.code, reference: input.reference,
      description: input.description ?? "Wallet top-up", idempotencyKey: `wallet_topup:${org.id}:${input.requestKey}`,
      entries: [{ account: "cash", amountMinor }, { account: "wallet_paid", amountMinor: -amountMinor }],
    },
    audit: { action: "wallet.topped_up", after: { amount: formatMoney(amountMinor, cur.code, cur.exponent), reference: input.reference, description: input.description } },
    kindLabel: "Paid top-up",
    exponent: cur.exponent,
  });
}
