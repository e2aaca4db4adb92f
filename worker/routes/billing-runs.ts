import { OpenAPIHono } from "@hono/zod-openapi";
import { z } from "zod";
import { BillingRunSchema } from "../contract/billing";
import { IsoDateSchema } from "../contract/schemas";
import type { AppEnv } from "../env";
import { getBillingRun, listBillingRuns, startBillingRun } from "../domain/billing/run";
import { json, routeGroup } from "./define";
import { userCtx } from "../domain/context";

const route = routeGroup({ tags: ["Billing"] });

const list = route.get("/api/billing/runs", {
  policy: { audience: "operator", privilege: "billing.read" },
  summary: "The latest billing runs with their progress",
  responses: { 200: json(z.object({ items: z.array(BillingRunSchema) }), "Recent runs, newest first") },
});
const get = route.get("/api/billing/runs/{id}", {
  policy: { audience: "operator", privilege: "billing.read" },
  summary: "One billing run's progress", request: { params: z.object({ id: z.string().min(1).max(64) }) },
  responses: { 200: json(BillingRunSchema, "The run") },
});
const start = route.post("/api/billing/runs", {
  policy: { audience: "operator", privilege: "billing.write" },
  summary: "Run billing now: bill every Resource Subscription whose period is due (safe to repeat)",
  body: z.object({ asOf: IsoDateSchema.optional() }),
  responses: { 202: json(BillingRunSchema, "The run, started in the background") },
});

export const billingRunRoutes = new OpenAPIHono<AppEnv>()
  .openapi(list, async (c) => c.json({ items: await listBillingRuns({ ctx: userCtx(c) }) }, 200))
  .openapi(get, async (c) => c.json(await getBillingRun({ ctx: userCtx(c), id: c.req.valid("param").id }), 200))
  .openapi(start, async (c) => {
    const { asOf } = c.req.valid("json");
    return c.json(await startBillingRun({ ctx: userCtx(c), ...(asOf ? { asOf } : {}) }), 202);
  });
