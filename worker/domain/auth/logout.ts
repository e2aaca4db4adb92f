import { and, eq, isNull } from "drizzle-orm";
import { sessions } from "../../db/schema";
import type { DomainContext } from "../context";
import { forgetSession } from "../sessions/cache";

/** Revokes the session server-side; the cookie alone can never bring it back. */
export async function logout(args: { ctx: DomainContext; sessionId: string }): Promise<void> {
  const now = args.ctx.clock.now();
  await args.ctx.db
    .update(sessions)
    .set({ revokedAt: now })
    .where(and(eq(sessions.id, args.sessionId), isNull(sessions.revokedAt)));
  // This isolate stops at once; others find it revoked when they re-check (domain/sessions/cache.ts).
  forgetSession(args.sessionId);
}
