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
import { commonErrors, defineRoute, json, jsonBody } from "./define";
import { userCtx } from "../domain/context";
import type { Policy } from "./policy";

const policy: Policy = { audience: "operator", privilege: "email.settings" };
const tags = ["Email settings"];

const getSmtpRoute = defineRoute({ method: "get", path: "/api/email/smtp", policy, tags, summary: "SMTP Configuration (the password is never returned)",
  responses: { 200: json(SmtpSettingsSchema, "Settings"), ...commonErrors } });
const saveSmtpRoute = defineRoute({ method: "put", path: "/api/email/smtp", policy, tags, summary: "Save the SMTP Configuration (Done)",
  request: { body: jsonBody(SaveSmtpInput) }, responses: { 200: json(SmtpSettingsSchema, "Settings"), ...commonErrors } });
const testSmtpRoute = defineRoute({ method: "post", path: "/api/email/smtp/test", policy, tags, summary: "Send Test Email with the saved SMTP Configuration",
  request: { body: jsonBody(SmtpTestInput) }, responses: { 200: json(SendResultSchema, "The SMTP server's answer or a clear reason"), ...commonErrors } });
const getDelivery = defineRoute({ method: "get", path: "/api/email/delivery", policy, tags, summary: "Delivery Configuration of every email type",
  responses: { 200: json(z.object({ items: z.array(DeliveryRuleSchema) }), "Rules"), ...commonErrors } });
const saveDeliveryRoute = defineRoute({ method: "put", path: "/api/email/delivery", policy, tags, summary: "Save the Delivery Configuration",
  request: { body: jsonBody(SaveDeliveryInput) }, responses: { 200: json(z.object({ items: z.array(DeliveryRuleSchema) }), "Rules"), ...commonErrors } });

export const emailSmtpRoutes = new OpenAPIHono<AppEnv>()
  .openapi(getSmtpRoute, async (c) => c.json(await getSmtp({ ctx: userCtx(c) }), 200))
  .openapi(saveSmtpRoute, async (c) => c.json(await saveSmtp({ ctx: userCtx(c), input: c.req.valid("json") }), 200))
  .openapi(testSmtpRoute, async (c) => c.json(await sendSmtpTest({ ctx: userCtx(c), input: c.req.valid("json") }), 200))
  .openapi(getDelivery, async (c) => c.json({ items: await listDelivery({ ctx: userCtx(c) }) }, 200))
  .openapi(saveDeliveryRoute, async (c) => c.json({ items: await saveDelivery({ ctx: userCtx(c), input: c.req.valid("json") }) }, 200));
