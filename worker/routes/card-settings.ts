/** Billing Configurations » Credit Card Settings (docs/decisions/016c-card-settings.md). */
import { OpenAPIHono } from "@hono/zod-openapi";
import { CardSettingsInput, CardSettingsSchema } from "../contract/payments";
import { userCtx } from "../domain/context";
import { getCardSettings } from "../domain/payments/get-card-settings";
import { updateCardSettings } from "../domain/payments/update-card-settings";
import type { AppEnv } from "../env";
import { json, routeGroup } from "./define";

const route = routeGroup({ tags: ["Payments"] });

const get = route.get("/api/billing/card-settings", { policy: { audience: "operator", privilege: "billing.read" },
  summary: "Credit Card Settings: Enforce Credit Card, Except Trial Customer, Enforcement Exemption, Link Multiple Accounts, Validity Deduction, No of Decline Payments Allowed",
  responses: { 200: json(CardSettingsSchema, "The settings") } });

const put = route.put("/api/billing/card-settings", { policy: { audience: "operator", privilege: "billing.write" },
  summary: "Save Credit Card Settings (audited)",
  body: CardSettingsInput, responses: { 200: json(CardSettingsSchema, "The saved settings") } });

export const cardSettingsRoutes = new OpenAPIHono<AppEnv>()
  .openapi(get, async (c) => c.json(await getCardSettings({ ctx: userCtx(c) }), 200))
  .openapi(put, async (c) => c.json(await updateCardSettings({ ctx: userCtx(c), input: c.req.valid("json") }), 200));
