/** Signs out other sessions of the signed-in user: one (by its listed id) or all but the current one. */
import { and, eq, isNull, like, ne } from "drizzle-orm";
import { atomically } from "../../db/atomic";
import { sessions } from "../../db/schema";
import { DomainError, notFound } from "../../errors";
import { auditIfChanged } from "../audit/record";
import type { ActorContext } from "../context";

export async function revokeOtherSessions(args: { ctx: ActorContext }) {
  const { ctx } = args;
  const results = await atomically(ctx.db, [
    ctx.db
      .update(sessions)
      .set({ revokedAt: ctx.clock.now() })
      .where(and(eq(sessions.userId, ctx.principal.userId), ne(sessions.id, ctx.session!.id), isNull(sessions.revokedAt))),
    auditIfChanged(ctx, { action: "account.sessions_revoked", orgId: ctx.principal.orgId, targetType: "user", targetId: ctx.principal.userId, after: { scope: "others" } }),
  ]);
  return { revoked: results[0]!.meta.changes };
}

export async function revokeSession(args: { ctx: ActorContext; input: { id: string } }) {
  const { ctx } = args;
  const id = args.input.id;
  if (!/^[0-9a-f]{16}$/.test(id)) throw notFound("Session");
  if (ctx.session!.id.startsWith(id)) throw new DomainError("CONFLICT", "This is the session you are using: sign out instead.");
  const results = await atomically(ctx.db, [
    ctx.db
      .update(sessions)
      .set({ revokedAt: ctx.clock.now() })
      .where(and(eq(sessions.userId, ctx.principal.userId), like(sessions.id, `${id}%`), isNull(sessions.revokedAt))),
    auditIfChanged(ctx, { action: "account.session_revoked", orgId: ctx.principal.orgId, targetType: "session", targetId: id }),
  ]);
  if (results[0]!.meta.changes === 0) throw notFound("Session");
}
