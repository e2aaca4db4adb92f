/** Wallets: balances, top-ups and free credit. */
import { action, json, query } from "@solidjs/router";
import type { FreeCreditInput, TopUpInput } from "../../worker/contract/wallet";
import { client, enc, unwrap } from "./client";

const wallet = client.api.organizations[":id"].wallet;

export const getWallet = query((orgId: string) => unwrap(wallet.$get({ param: { id: enc(orgId) } })), "wallet.get");

export const topUp = action(async (orgId: string, input: TopUpInput) => {
  const w = await unwrap(wallet["top-ups"].$post({ param: { id: enc(orgId) }, json: input }));
  return json(w, { revalidate: ["wallet.get", "tx.list"] });
}, "topUp");

export const allocateFreeCredit = action(async (orgId: string, input: FreeCreditInput) => {
  const w = await unwrap(wallet["free-credits"].$post({ param: { id: enc(orgId) }, json: input }));
  return json(w, { revalidate: ["wallet.get", "tx.list"] });
}, "allocateFreeCredit");
