/** Billing Configurations » Credit Card Settings (docs/decisions/016c-card-settings.md). */
import { OpenAPIHono } from "@hono/zod-openapi";
import { CardSettingsInput, CardSettingsSchema } from "../contract/payments";
import { userCtx } from "../domain/context";
import { getCardSettings } from "../domain/payments/get-card-settings";
import { updateCardSettings } from "../domain/payments/update-card-settings";
import type { AppEnv } from "../env";
import { commonErrors, defineRoute, json, jsonBody } from "./define";

const tags = ["Payments"];

const get = defineRoute({ method: "get", path: "/api/billing/card-settings", policy: { audience: "operator", privilege: "billing.read" }, tags,
  summary: "Credit Card Settings: Enforce Credit Card, Except Trial Customer, Enforcement Exemption, Link Multiple Accounts, Validity Deduction, No of Decline Payments Allowed",
  responses: { 200: json(CardSettingsSchema, "The settings"), ...commonErrors } });

const put = defineRoute({ method: "put", path: "/api/billing/card-settings", policy: { audience: "operator", privilege: "billing.write" }, tags,
  summary: "Save Credit Card Settings (audited)",
  request: { body: jsonBody(CardSettingsInput) }, responses: { 200: json(CardSettingsSchema, "The saved settings"), ...commonErrors } });

export const cardSettingsRoutes = new OpenAPIHono<AppEnv>()
  .openapi(get, async (c) => c.json(await getCardSettings({ ctx: userCtx(c) }), 200))
  .openapi(put, async (c) => c.json(await updateCardSettings({ ctx: userCtx(c), input: c.req.valid("json") }), 200));
