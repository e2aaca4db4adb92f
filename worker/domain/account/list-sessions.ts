/** The user's live sessions (signed-in devices), newest first; `current` marks the one making the request. */
import { and, desc, eq, gt, isNull } from "drizzle-orm";
import { sessions } from "../../db/schema";
import type { ActorContext } from "../context";
import { idleMs } from "../sessions/store";

export async function listSessions(args: { ctx: ActorContext }) {
  const { ctx } = args;
  const now = ctx.clock.now();
  const rows = await ctx.db
    .select({ id: sessions.id, createdAt: sessions.createdAt, lastSeenAt: sessions.lastSeenAt, ip: sessions.ip, userAgent: sessions.userAgent, stage: sessions.stage })
    .from(sessions)
    .where(and(eq(sessions.userId, ctx.principal.userId), isNull(sessions.revokedAt), gt(sessions.expiresAt, now), gt(sessions.lastSeenAt, now - idleMs(ctx.config))))
    .orderBy(desc(sessions.lastSeenAt))
    .all();
  return rows
    .filter((r) => r.stage === "full")
    .map((r) => ({
      // The public id is a prefix of the stored hash: enough to address one's own session, useless as a credential.
      id: r.id.slice(0, 16),
      current: r.id === ctx.session?.id,
      createdAt: new Date(r.createdAt).toISOString(),
      lastSeenAt: new Date(r.lastSeenAt).toISOString(),
      ip: r.ip,
      userAgent: r.userAgent,
    }));
}
