import { OpenAPIHono } from "@hono/zod-openapi";
import { AuditEntrySchema, pageSchema } from "../contract/dto";
import type { AppEnv } from "../env";
import { ListAuditInput, listAudit } from "../domain/audit/list";
import { commonErrors, defineRoute, json } from "./define";
import { actorCtx } from "./context";

const list = defineRoute({
  method: "get",
  path: "/api/audit-log",
  policy: { audience: "operator", privilege: "audit.read" },
  tags: ["Audit"],
  summary: "The append-only audit log, newest first",
  request: { query: ListAuditInput },
  responses: { 200: json(pageSchema(AuditEntrySchema), "A page of audit entries"), ...commonErrors },
});

export const auditRoutes = new OpenAPIHono<AppEnv>().openapi(list, async (c) =>
  c.json(await listAudit({ ctx: actorCtx(c), input: c.req.valid("query") }), 200),
);
