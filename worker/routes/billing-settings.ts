import { OpenAPIHono } from "@hono/zod-openapi";
import { BillingSettingsSchema, UpdateBillingSettingsInput } from "../contract/billing";
import type { AppEnv } from "../env";
import { getBillingSettings } from "../domain/billing/settings";
import { updateBillingSettings } from "../domain/billing/update-settings";
import { commonErrors, defineRoute, json, jsonBody } from "./define";
import { actorCtx } from "./context";

const get = defineRoute({
  method: "get",
  path: "/api/billing/settings",
  policy: { audience: "operator", privilege: "billing.read" },
  tags: ["Billing"],
  summary: "Currency Settings: currency, Billing Precision, payment terms, invoice prefix, and whether they are locked",
  responses: { 200: json(BillingSettingsSchema, "The billing settings"), ...commonErrors },
});

const put = defineRoute({
  method: "put",
  path: "/api/billing/settings",
  policy: { audience: "operator", privilege: "billing.write" },
  tags: ["Billing"],
  summary: "Save Currency Settings (currency and precision refused with CURRENCY_LOCKED once an invoice exists)",
  request: { body: jsonBody(UpdateBillingSettingsInput) },
  responses: { 200: json(BillingSettingsSchema, "The saved settings"), 409: commonErrors[400], ...commonErrors },
});

export const billingSettingsRoutes = new OpenAPIHono<AppEnv>()
  .openapi(get, async (c) => c.json(await getBillingSettings({ ctx: actorCtx(c) }), 200))
  .openapi(put, async (c) => c.json(await updateBillingSettings({ ctx: actorCtx(c), input: c.req.valid("json") }), 200));
