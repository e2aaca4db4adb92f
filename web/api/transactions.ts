/** Transaction Logs. */
import { query, type SearchParams } from "@solidjs/router";
import { LEDGER_KINDS } from "../../worker/contract/wallet";
import { client, href, unwrap } from "./client";
import { dateParam, enumParam, pageParam, stringParam } from "./params";

export interface TxParams {
  orgId?: string;
  kind?: (typeof LEDGER_KINDS)[number];
  direction?: "in" | "out" | "none";
  from?: string;
  to?: string;
  q?: string;
  bookkeeping?: "true" | "false";
  page: number;
  pageSize: number;
}
export function txParams(search: SearchParams): TxParams {
  return {
    orgId: stringParam(search.orgId),
    kind: enumParam(search.kind, LEDGER_KINDS),
    direction: enumParam(search.direction, ["in", "out", "none"]),
    from: dateParam(search.from),
    to: dateParam(search.to),
    q: stringParam(search.q),
    // Invoice issue/cancel postings are shown unless hidden on purpose: a log that opens on what happened.
    bookkeeping: stringParam(search.bookkeeping) === "false" ? "false" : "true",
    page: pageParam(search.page),
    pageSize: 25,
  };
}
export const getTransactions = query((p: TxParams) => unwrap(client.api.transactions.$get({ query: p })), "tx.list");

/** The export link for the same filter (a plain download: the browser streams it to disk). */
export function exportUrl({ page: _page, pageSize: _pageSize, ...filter }: TxParams): string {
  return href(client.api.transactions["export.csv"].$url({ query: filter }));
}
