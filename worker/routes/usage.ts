import { OpenAPIHono } from "@hono/zod-openapi";
import { z } from "zod";
import { UsageInput, UsageRecordSchema, UsageSummarySchema } from "../contract/catalogue";
import { PageQuerySchema } from "../contract/schemas";
import type { AppEnv } from "../env";
import { listUsage } from "../domain/usage/list-usage";
import { recordUsage } from "../domain/usage/record-usage";
import { userCtx } from "../domain/context";
import { commonErrors, json, routeGroup } from "./define";

const route = routeGroup({ tags: ["Usage"] });

const ingest = route.post("/api/usage", {
  policy: { audience: "operator", privilege: "billing.write" },
  summary: "Record pay-as-you-go usage (idempotent on idempotencyKey: 201 when stored, 200 for a replay)",
  body: UsageInput,
  responses: { 201: json(UsageRecordSchema, "Stored"), 200: json(UsageRecordSchema, "Already stored under this key"), 409: commonErrors[400] },
});
const list = route.get("/api/subscriptions/{id}/usage", {
  policy: { audience: "tenant", privilege: "billing.read" },
  summary: "Usage recorded for a subscription, with monthly totals per product",
  request: { params: z.object({ id: z.string().min(1).max(64) }), query: PageQuerySchema },
  responses: { 200: json(z.object({ items: z.array(UsageRecordSchema), page: z.number(), pageSize: z.number(), total: z.number(), summary: z.array(UsageSummarySchema), currency: z.string().describe("The billing currency the unit prices are in") }), "Usage") },
});

export const usageRoutes = new OpenAPIHono<AppEnv>()
  .openapi(ingest, async (c) => {
    const { record, created } = await recordUsage({ ctx: userCtx(c), input: c.req.valid("json") });
    return created ? c.json(record, 201) : c.json(record, 200);
  })
  .openapi(list, async (c) => {
    const q = c.req.valid("query");
    return c.json(await listUsage({ ctx: userCtx(c), subscriptionId: c.req.valid("param").id, page: q.page, pageSize: q.pageSize }), 200);
  });
