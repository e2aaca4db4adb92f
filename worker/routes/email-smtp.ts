/** Configuration >> Email Settings >> SMTP Configuration and Delivery Configuration (operator + email.settings). */
import { OpenAPIHono } from "@hono/zod-openapi";
import { z } from "zod";
import { DeliveryRuleSchema, SaveDeliveryInput, SaveSmtpInput, SendResultSchema, SmtpSettingsSchema, SmtpTestInput } from "../contract/email-dto";
import type { AppEnv } from "../env";
import { getSmtp } from "../domain/email/get-smtp";
import { listDelivery } from "../domain/email/list-delivery";
import { saveDelivery } from "../domain/email/save-delivery";
import { saveSmtp } from "../domain/email/save-smtp";
import { sendSmtpTest } from "../domain/email/send-smtp-test";
import { json, routeGroup } from "./define";
import { userCtx } from "../domain/context";
import type { Policy } from "./policy";

const route = routeGroup({ tags: ["Email settings"] });

const policy: Policy = { audience: "operator", privilege: "email.settings" };

const getSmtpRoute = route.get("/api/email/smtp", { policy, summary: "SMTP Configuration (the password is never returned)",
  responses: { 200: json(SmtpSettingsSchema, "Settings") } });
const saveSmtpRoute = route.put("/api/email/smtp", { policy, summary: "Save the SMTP Configuration (Done)",
  body: SaveSmtpInput, responses: { 200: json(SmtpSettingsSchema, "Settings") } });
const testSmtpRoute = route.post("/api/email/smtp/test", { policy, summary: "Send Test Email with the saved SMTP Configuration",
  body: SmtpTestInput, responses: { 200: json(SendResultSchema, "The SMTP server's answer or a clear reason") } });
const getDelivery = route.get("/api/email/delivery", { policy, summary: "Delivery Configuration of every email type",
  responses: { 200: json(z.object({ items: z.array(DeliveryRuleSchema) }), "Rules") } });
const saveDeliveryRoute = route.put("/api/email/delivery", { policy, summary: "Save the Delivery Configuration",
  body: SaveDeliveryInput, responses: { 200: json(z.object({ items: z.array(DeliveryRuleSchema) }), "Rules") } });

export const emailSmtpRoutes = new OpenAPIHono<AppEnv>()
  .openapi(getSmtpRoute, async (c) => c.json(await getSmtp({ ctx: userCtx(c) }), 200))
  .openapi(saveSmtpRoute, async (c) => c.json(await saveSmtp({ ctx: userCtx(c), input: c.req.valid("json") }), 200))
  .openapi(testSmtpRoute, async (c) => c.json(await sendSmtpTest({ ctx: userCtx(c), input: c.req.valid("json") }), 200))
  .openapi(getDelivery, async (c) => c.json({ items: await listDelivery({ ctx: userCtx(c) }) }, 200))
  .openapi(saveDeliveryRoute, async (c) => c.json({ items: await saveDelivery({ ctx: userCtx(c), input: c.req.valid("json") }) }, 200));
