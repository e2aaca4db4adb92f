import { and, asc, desc, eq, gte, lt, or } from "drizzle-orm";
import { z } from "zod";
import type { AuditEntry, Page } from "../../contract/dto";
import { IsoDateSchema, PageQuerySchema } from "../../contract/schemas";
import { auditLog, organizations } from "../../db/schema";
import { contains } from "../../db/search";
import type { ActorContext } from "../context";
import { filteredPage } from "../paging";

export const ListAuditInput = PageQuerySchema.extend({
  q: z.string().trim().max(100).optional(),
  action: z.string().trim().max(100).optional(),
  orgId: z.string().max(64).optional(),
  from: IsoDateSchema.optional(),
  to: IsoDateSchema.optional(),
});
export type ListAuditInput = z.infer<typeof ListAuditInput>;

const DAY = 86_400_000;

/** The audit log, newest first. Operator-only (route policy), so it spans every organization. */
export async function listAudit(args: { ctx: ActorContext; input: ListAuditInput }): Promise<Page<AuditEntry>> {
  const input = ListAuditInput.parse(args.input);
  const where = and(
    input.action ? eq(auditLog.action, input.action) : undefined,
    input.orgId ? eq(auditLog.orgId, input.orgId) : undefined,
    input.from ? gte(auditLog.at, Date.parse(`${input.from}T00:00:00Z`)) : undefined,
    input.to ? lt(auditLog.at, Date.parse(`${input.to}T00:00:00Z`) + DAY) : undefined,
    input.q ? or(contains(auditLog.actorLabel, input.q), contains(auditLog.action, input.q), contains(auditLog.targetId, input.q)) : undefined,
  );
  const rows = args.ctx.db
    .select({ entry: auditLog, orgName: organizations.name, orgKind: organizations.kind })
    .from(auditLog)
    .leftJoin(organizations, eq(organizations.id, auditLog.orgId))
    .$dynamic();
  return filteredPage(args.ctx.db, input, { table: auditLog, rows, where, order: [desc(auditLog.at), desc(auditLog.id)] }, ({ entry, orgName, orgKind }): AuditEntry => ({
    id: entry.id,
    at: new Date(entry.at).toISOString(),
    actor: { id: entry.actorUserId, label: entry.actorLabel },
    org: entry.orgId && orgName && orgKind ? { id: entry.orgId, name: orgName, kind: orgKind } : null,
    action: entry.action,
    targetType: entry.targetType,
    targetId: entry.targetId,
    ip: entry.ip,
    requestId: entry.requestId,
    diff: JSON.parse(entry.diff) as AuditEntry["diff"],
  }));
}

/** Every action recorded so far (for the Action filter), from the (action, at) index. */
export async function listAuditActions(args: { ctx: ActorContext }): Promise<string[]> {
  const rows = await args.ctx.db.selectDistinct({ action: auditLog.action }).from(auditLog).orderBy(asc(auditLog.action));
  return rows.map((r) => r.action);
}
