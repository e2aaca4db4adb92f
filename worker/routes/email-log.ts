/** Configuration >> Email Log (operator + email.settings), and the public image route mail references. */
import { OpenAPIHono } from "@hono/zod-openapi";
import { z } from "zod";
import { pageSchema } from "../contract/dto";
import { EmailLogDetailSchema, EmailLogItemSchema, ListEmailLogInput } from "../contract/email-dto";
import type { AppEnv } from "../env";
import { getAssetBytes } from "../domain/email/assets";
import { getEmailLog, listEmailLog } from "../domain/email/email-log";
import { resendEmail } from "../domain/email/resend";
import { notFound } from "../errors";
import { commonErrors, json, routeGroup } from "./define";
import { userCtx } from "../domain/context";
import type { Policy } from "./policy";

const route = routeGroup({ tags: ["Email log"] });

const policy: Policy = { audience: "operator", privilege: "email.settings" };
const idParam = z.object({ id: z.string().min(1).max(64) });

const list = route.get("/api/email/log", { policy, summary: "Every email sent or queued, newest first",
  request: { query: ListEmailLogInput }, responses: { 200: json(pageSchema(EmailLogItemSchema), "A page of emails") } });
const get = route.get("/api/email/log/{id}", { policy, summary: "One email with its rendered content",
  request: { params: idParam }, responses: { 200: json(EmailLogDetailSchema, "The email") } });
const resend = route.post("/api/email/log/{id}/resend", { policy, summary: "Resend: queue a new copy of this email",
  request: { params: idParam }, responses: { 201: json(EmailLogDetailSchema, "The new email"), 409: commonErrors[400] } });
const asset = route.get("/api/email-assets/{id}", { policy: { audience: "public" }, summary: "An uploaded template image (public: mail clients load it)",
  request: { params: idParam }, errors: { 404: commonErrors[404] }, responses: { 200: { description: "The image", content: { "image/png": { schema: z.any() } } } } });

export const emailLogRoutes = new OpenAPIHono<AppEnv>()
  .openapi(list, async (c) => c.json(await listEmailLog({ ctx: userCtx(c), input: c.req.valid("query") }), 200))
  .openapi(get, async (c) => c.json(await getEmailLog({ ctx: userCtx(c), id: c.req.valid("param").id }), 200))
  .openapi(resend, async (c) => c.json(await resendEmail({ ctx: userCtx(c), id: c.req.valid("param").id }), 201))
  .openapi(asset, async (c) => {
    const found = await getAssetBytes(c.var.services, c.req.valid("param").id);
    if (!found) throw notFound("Image");
    return new Response(found.bytes, {
      status: 200,
      headers: {
        "Content-Type": found.contentType,
        "Cache-Control": "public, max-age=86400, immutable",
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'; sandbox",
        "Content-Disposition": `inline; filename="${found.name.replace(/[^\w .()-]/g, "_")}"`,
        "Cross-Origin-Resource-Policy": "cross-origin",
      },
    }) as never;
  });
