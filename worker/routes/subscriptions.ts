import { OpenAPIHono } from "@hono/zod-openapi";
import { z } from "zod";
import { SubscriptionInput, SubscriptionSchema } from "../contract/catalogue";
import { pageSchema } from "../contract/dto";
import type { AppEnv } from "../env";
import { getSubscription } from "../domain/subscriptions/get-subscription";
import { ListSubscriptionsInput, listSubscriptions } from "../domain/subscriptions/list-subscriptions";
import { createSubscription, updateSubscription } from "../domain/subscriptions/save-subscription";
import { userCtx } from "../domain/context";
import { commonErrors, json, routeGroup } from "./define";

const route = routeGroup({ tags: ["Resource Subscriptions"] });

const IdParam = z.object({ id: z.string().min(1).max(64) });
const tenantRead = { audience: "tenant", privilege: "billing.read" } as const;
const write = { audience: "operator", privilege: "billing.write" } as const;

const list = route.get("/api/subscriptions", { policy: tenantRead, summary: "Resource Subscriptions visible to the caller", request: { query: ListSubscriptionsInput }, responses: { 200: json(pageSchema(SubscriptionSchema), "A page of subscriptions") } });
const get = route.get("/api/subscriptions/{id}", { policy: tenantRead, summary: "One Resource Subscription with its resources", request: { params: IdParam }, responses: { 200: json(SubscriptionSchema, "The subscription") } });
const create = route.post("/api/subscriptions", { policy: write, summary: "Create a Resource Subscription on a contract", body: SubscriptionInput, responses: { 201: json(SubscriptionSchema, "Created") } });
const update = route.put("/api/subscriptions/{id}", {
  policy: write,
  summary: "Edit a Resource Subscription (billing cycle, anchor, model and contract are locked once invoiced: 409 SCHEDULE_LOCKED)",
  request: { params: IdParam }, body: SubscriptionInput, responses: { 200: json(SubscriptionSchema, "Updated"), 409: commonErrors[400] },
});

export const subscriptionRoutes = new OpenAPIHono<AppEnv>()
  .openapi(list, async (c) => c.json(await listSubscriptions({ ctx: userCtx(c), input: c.req.valid("query") }), 200))
  .openapi(get, async (c) => c.json(await getSubscription({ ctx: userCtx(c), id: c.req.valid("param").id }), 200))
  .openapi(create, async (c) => c.json(await createSubscription({ ctx: userCtx(c), input: c.req.valid("json") }), 201))
  .openapi(update, async (c) => c.json(await updateSubscription({ ctx: userCtx(c), id: c.req.valid("param").id, input: c.req.valid("json") }), 200));
