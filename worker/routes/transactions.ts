import { OpenAPIHono } from "@hono/zod-openapi";
import { TransactionPageSchema } from "../contract/wallet";
import type { AppEnv } from "../env";
import { exportTransactionsCsv } from "../domain/transactions/export-transactions";
import { ListTransactionsInput, TransactionFilterInput } from "../domain/transactions/filters";
import { listTransactions } from "../domain/transactions/list-transactions";
import { userCtx } from "../domain/context";
import { csvDownload, csvResponse } from "./csv";
import { json, routeGroup } from "./define";

const route = routeGroup({ tags: ["Transaction Logs"] });

const policy = { audience: "tenant", privilege: "billing.read" } as const;

const list = route.get("/api/transactions", {
  policy,
  summary: "Transaction Logs: a page of transactions with totals and a chart series over the whole filter",
  request: { query: ListTransactionsInput }, responses: { 200: json(TransactionPageSchema, "Transactions") },
});
const exportCsv = route.get("/api/transactions/export.csv", {
  policy,
  summary: "Every transaction matching the filter as CSV (RFC 4180, streamed, formula-injection safe)",
  request: { query: TransactionFilterInput },
  responses: { 200: csvResponse("CSV file") },
});

export const transactionRoutes = new OpenAPIHono<AppEnv>()
  .openapi(list, async (c) => c.json(await listTransactions({ ctx: userCtx(c), input: c.req.query() }), 200))
  .openapi(exportCsv, async (c) => {
    c.req.valid("query");
    return csvDownload(c, exportTransactionsCsv({ ctx: userCtx(c), input: c.req.query() }), "transactions") as never;
  });
