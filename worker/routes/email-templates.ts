/** Configuration >> Email Settings >> Email Templates (operator + email.settings). */
import { OpenAPIHono } from "@hono/zod-openapi";
import { z } from "zod";
import {
  AssetSchema,
  SaveTemplateInput,
  SendResultSchema,
  TemplateDetailSchema,
  TemplateSummarySchema,
  TemplateTestInput,
  TemplateVersionSchema,
  UploadAssetInput,
} from "../contract/email-dto";
import type { AppEnv } from "../env";
import { listAssets, uploadAsset } from "../domain/email/assets";
import { getTemplate, getTemplateVersion, listTemplates } from "../domain/email/get-template";
import { resetTemplate } from "../domain/email/reset-template";
import { restoreTemplate } from "../domain/email/restore-template";
import { saveTemplate } from "../domain/email/save-template";
import { sendTemplateTest } from "../domain/email/send-template-test";
import { commonErrors, json, routeGroup } from "./define";
import { userCtx } from "../domain/context";
import type { Policy } from "./policy";

const route = routeGroup({ tags: ["Email settings"] });

const policy: Policy = { audience: "operator", privilege: "email.settings" };
const eventParam = z.object({ event: z.string().min(1).max(64) });

const list = route.get("/api/email/templates", { policy, summary: "Every email type with its template status",
  responses: { 200: json(z.object({ items: z.array(TemplateSummarySchema) }), "Templates") } });
const get = route.get("/api/email/templates/{event}", { policy, summary: "One template: content, branding, tags, versions",
  request: { params: eventParam }, responses: { 200: json(TemplateDetailSchema, "The template") } });
const save = route.put("/api/email/templates/{event}", { policy, summary: "Save a template (previous content kept as a version)",
  request: { params: eventParam }, body: SaveTemplateInput,
  responses: { 200: json(TemplateDetailSchema.extend({ notice: z.string().nullable() }), "The saved template"), 409: commonErrors[400] } });
const version = route.get("/api/email/templates/{event}/versions/{version}", { policy, summary: "One saved version",
  request: { params: eventParam.extend({ version: z.coerce.number().int().min(1) }) }, responses: { 200: json(TemplateVersionSchema, "The version") } });
const restore = route.post("/api/email/templates/{event}/versions/{version}/restore", { policy, summary: "Restore a saved version",
  request: { params: eventParam.extend({ version: z.coerce.number().int().min(1) }) }, responses: { 200: json(TemplateDetailSchema, "The template") } });
const reset = route.post("/api/email/templates/{event}/reset", { policy, summary: "Reset to the built-in default",
  request: { params: eventParam }, responses: { 200: json(TemplateDetailSchema, "The template") } });
const test = route.post("/api/email/templates/{event}/test", { policy, summary: "Send Test Email: render the draft with example (or an organization's) data and send it now",
  request: { params: eventParam }, body: TemplateTestInput, responses: { 200: json(SendResultSchema, "The SMTP server's answer or a clear reason") } });
const assets = route.get("/api/email/assets", { policy, summary: "Uploaded images", responses: { 200: json(z.object({ items: z.array(AssetSchema) }), "Images") } });
const upload = route.post("/api/email/assets", { policy, summary: "Upload an image (PNG, JPEG, GIF, WebP; 512 KB)",
  body: UploadAssetInput, responses: { 201: json(AssetSchema, "The image and its public URL") } });

export const emailTemplateRoutes = new OpenAPIHono<AppEnv>()
  .openapi(list, async (c) => c.json({ items: await listTemplates({ ctx: userCtx(c) }) }, 200))
  .openapi(get, async (c) => c.json(await getTemplate({ ctx: userCtx(c), event: c.req.valid("param").event }), 200))
  .openapi(save, async (c) => c.json(await saveTemplate({ ctx: userCtx(c), event: c.req.valid("param").event, input: c.req.valid("json") }), 200))
  .openapi(version, async (c) => c.json(await getTemplateVersion({ ctx: userCtx(c), ...c.req.valid("param") }), 200))
  .openapi(restore, async (c) => c.json(await restoreTemplate({ ctx: userCtx(c), ...c.req.valid("param") }), 200))
  .openapi(reset, async (c) => c.json(await resetTemplate({ ctx: userCtx(c), event: c.req.valid("param").event }), 200))
  .openapi(test, async (c) => c.json(await sendTemplateTest({ ctx: userCtx(c), event: c.req.valid("param").event, input: c.req.valid("json") }), 200))
  .openapi(assets, async (c) => c.json({ items: await listAssets({ ctx: userCtx(c) }) }, 200))
  .openapi(upload, async (c) => c.json(await uploadAsset({ ctx: userCtx(c), input: c.req.valid("json") }), 201));
