import { OpenAPIHono } from "@hono/zod-openapi";
import { AuditEntrySchema, pageSchema } from "../contract/dto";
import type { AppEnv } from "../env";
import { ListAuditInput, listAudit, listAuditActions } from "../domain/audit/list";
import { z } from "zod";
import { json, routeGroup } from "./define";
import { userCtx } from "../domain/context";

const route = routeGroup({ tags: ["Audit"] });

const list = route.get("/api/audit-log", {
  policy: { audience: "operator", privilege: "audit.read" },
  summary: "The append-only audit log, newest first",
  request: { query: ListAuditInput },
  responses: { 200: json(pageSchema(AuditEntrySchema), "A page of audit entries") },
});

const actions = route.get("/api/audit-log/actions", {
  policy: { audience: "operator", privilege: "audit.read" },
  summary: "Every action recorded in the audit log (for filtering)",
  responses: { 200: json(z.object({ items: z.array(z.string()) }), "Distinct actions") },
});

export const auditRoutes = new OpenAPIHono<AppEnv>()
  .openapi(list, async (c) => c.json(await listAudit({ ctx: userCtx(c), input: c.req.valid("query") }), 200))
  .openapi(actions, async (c) => c.json({ items: await listAuditActions({ ctx: userCtx(c) }) }, 200));
