/**
 * Audit rows: one append-only row per admin/staff mutation, written in the SAME `db.batch` as the change so
 * that neither exists without the other. Secrets never reach the row: any field whose name looks secret is
 * masked, and callers pass only the fields that changed hands.
 */
import { auditLog } from "../../db/schema";
import { newId } from "../../db/ids";
import { insertIfChanged, type RawStatement } from "../../db/atomic";
import type { ActorContext, DomainContext } from "../context";

const SECRET_FIELD = /pass(word)?|secret|token|key|seed|otp|totp|recovery|hash|cvc|cvv|card_?number/i;
export const MASK = "••••";

export type Diff = Record<string, { before: unknown; after: unknown }>;

/** Fields whose value differs between `before` and `after` (shallow, JSON equality), secrets masked. */
export function diffOf(before: Record<string, unknown> | null, after: Record<string, unknown> | null): Diff {
  const diff: Diff = {};
  const keys = new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})]);
  for (const key of keys) {
    const b = before?.[key] ?? null;
    const a = after?.[key] ?? null;
    if (JSON.stringify(b) === JSON.stringify(a)) continue;
    diff[key] = SECRET_FIELD.test(key) ? { before: b === null ? null : MASK, after: a === null ? null : MASK } : { before: b, after: a };
  }
  return diff;
}

export interface AuditInput {
  action: string;
  orgId: string | null;
  targetType: string;
  targetId: string | null;
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
}

function auditRow(ctx: ActorContext | DomainContext, input: AuditInput) {
  const principal = ctx.principal;
  const now = ctx.clock.now();
  return {
    id: newId("audit", now),
    at: now,
    actorUserId: principal?.userId ?? null,
    actorLabel: principal ? `${principal.firstName} ${principal.lastName} <${principal.email}>` : "system",
    orgId: input.orgId,
    action: input.action,
    targetType: input.targetType,
    targetId: input.targetId,
    ip: ctx.ip,
    requestId: ctx.requestId,
    diff: JSON.stringify(diffOf(input.before ?? null, input.after ?? null)),
  };
}

/** Builds (does not run) the insert, for inclusion in the caller's batch. */
export function auditStatement(ctx: ActorContext | DomainContext, input: AuditInput) {
  return ctx.db.insert(auditLog).values(auditRow(ctx, input));
}

/**
 * Like `auditStatement`, but inserts only if the statement just before it in the same `atomically` batch
 * changed a row (`insertIfChanged`, worker/db/atomic.ts): a conditional update that lost a race leaves no audit
 * row behind.
 */
export function auditIfChanged(ctx: ActorContext | DomainContext, input: AuditInput): RawStatement {
  const r = auditRow(ctx, input);
  return insertIfChanged("audit_log", {
    id: r.id, at: r.at, actor_user_id: r.actorUserId, actor_label: r.actorLabel, org_id: r.orgId, action: r.action,
    target_type: r.targetType, target_id: r.targetId, ip: r.ip, request_id: r.requestId, diff: r.diff,
  });
}
