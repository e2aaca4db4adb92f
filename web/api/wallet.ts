/** Wallets: balances, top-ups and free credit. */
import { action, json, query } from "@solidjs/router";
import type { FreeCreditInput, TopUpInput, Wallet } from "../../worker/contract/wallet";
import { api } from "./client";

export const getWallet = query((orgId: string) => api.get<Wallet>(`/organizations/${encodeURIComponent(orgId)}/wallet`), "wallet.get");

export const topUp = action(async (orgId: string, input: TopUpInput) => {
  const w = await api.post<Wallet>(`/organizations/${encodeURIComponent(orgId)}/wallet/top-ups`, input);
  return json(w, { revalidate: ["wallet.get", "tx.list"] });
}, "topUp");

export const allocateFreeCredit = action(async (orgId: string, input: FreeCreditInput) => {
  const w = await api.post<Wallet>(`/organizations/${encodeURIComponent(orgId)}/wallet/free-credits`, input);
  return json(w, { revalidate: ["wallet.get", "tx.list"] });
}, "allocateFreeCredit");
