/** Transaction Logs. */
import { query, type SearchParams } from "@solidjs/router";
import type { TransactionPage } from "../../worker/contract/wallet";
import { api } from "./client";
import { dateParam, pageParam, stringParam } from "./params";

export interface TxParams {
  orgId?: string;
  kind?: string;
  direction?: string;
  from?: string;
  to?: string;
  q?: string;
  bookkeeping?: string;
  page: number;
  pageSize: number;
}
export function txParams(search: SearchParams): TxParams {
  return {
    orgId: stringParam(search.orgId),
    kind: stringParam(search.kind),
    direction: stringParam(search.direction),
    from: dateParam(search.from),
    to: dateParam(search.to),
    q: stringParam(search.q),
    // Invoice issue/cancel postings are shown unless hidden on purpose: a log that opens on what happened.
    bookkeeping: stringParam(search.bookkeeping) === "false" ? "false" : "true",
    page: pageParam(search.page),
    pageSize: 25,
  };
}
export const getTransactions = query((p: TxParams) => api.get<TransactionPage>("/transactions", { ...p }), "tx.list");

/** The export link for the same filter (a plain download: the browser streams it to disk). */
export function exportUrl(p: TxParams): string {
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(p)) if (v !== undefined && k !== "page" && k !== "pageSize") search.set(k, String(v));
  const qs = search.toString();
  return `/api/transactions/export.csv${qs ? `?${qs}` : ""}`;
}
