/**
 * Billing & Reports >> Customer Billing >> Credit Card Status, its card health view and Unblock.
 * Operators with billing.read see every customer and reseller organization, a reseller its own and its
 * customers'; customers are refused. Unblock is for billing.write staff only (audited, with a reason).
 * docs/decisions/019b-card-health-and-self-pay.md
 */
import { OpenAPIHono, z } from "@hono/zod-openapi";
import { CardHealthSchema, CardStatusFilterSchema, CardStatusListSchema, CardStatusQuery, CardStatusRowSchema, UnblockCardInput } from "../contract/card-status";
import type { AppEnv } from "../env";
import { getCardHealth } from "../domain/payments/card-health";
import { exportCardStatusCsv, listCardStatus } from "../domain/payments/card-status";
import { unblockCard } from "../domain/payments/unblock-card";
import { userCtx } from "../domain/context";
import { csvDownload, csvResponse } from "./csv";
import { commonErrors, json, routeGroup } from "./define";

const route = routeGroup({ tags: ["Credit Card Status"] });

const READ = { audience: "tenant", privilege: "billing.read", tenants: ["reseller"] } as const;
const WRITE = { audience: "operator", privilege: "billing.write" } as const;
const CardParam = z.object({ id: z.string().min(1).max(64) });

const list = route.get("/api/billing/credit-card-status", { policy: READ, summary: "Credit Card Status: one row per customer and reseller organization",
  request: { query: CardStatusQuery }, responses: { 200: json(CardStatusListSchema, "A page of organizations") } });
const csv = route.get("/api/billing/credit-card-status/export.csv", { policy: READ, summary: "Export CSV: every row matching the filter (streamed)",
  request: { query: CardStatusFilterSchema }, responses: { 200: csvResponse("RFC 4180 CSV") } });
const health = route.get("/api/billing/credit-card-status/health", { policy: READ, summary: "Card health: expiring cards, blocked cards with unpaid invoices, subscriptions at risk, with the amount at stake",
  responses: { 200: json(CardHealthSchema, "Card health") } });
const unblock = route.post("/api/billing/cards/{id}/unblock", { policy: WRITE, summary: "Unblock a blocked card (audited, with a reason); its decline count starts again",
  request: { params: CardParam }, body: UnblockCardInput, responses: { 200: json(CardStatusRowSchema.nullable(), "The organization's row after unblocking"), 409: commonErrors[400] } });

export const cardStatusRoutes = new OpenAPIHono<AppEnv>()
  .openapi(list, async (c) => c.json(await listCardStatus({ ctx: userCtx(c), input: c.req.valid("query") }), 200))
  .openapi(csv, async (c) => csvDownload(c, exportCardStatusCsv({ ctx: userCtx(c), filter: c.req.valid("query") }), "credit-card-status"))
  .openapi(health, async (c) => c.json(await getCardHealth({ ctx: userCtx(c) }), 200))
  .openapi(unblock, async (c) => c.json(await unblockCard({ ctx: userCtx(c), cardId: c.req.valid("param").id, input: c.req.valid("json") }), 200));
