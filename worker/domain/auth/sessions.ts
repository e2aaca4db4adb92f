/**
 * Server-side sessions. The cookie carries a 256-bit random token; D1 stores only its SHA-256, so a
 * database leak does not yield usable sessions. A session ends at the first of: sign-out (revoked),
 * idle timeout (no request for SESSION_IDLE_MINUTES), absolute timeout (SESSION_ABSOLUTE_HOURS after
 * sign-in), or the user being disabled.
 */
import { eq, isNotNull, lt, or } from "drizzle-orm";
import type { Privilege } from "../../contract/roles";
import { organizations, sessions, users } from "../../db/schema";
import type { AppDb } from "../../db/client";
import type { Clock } from "../../integrations/clock";
import type { Config } from "../../env";
import { sha256Hex, toBase64Url } from "../../integrations/crypto/encoding";
import type { Principal, SessionStage } from "../context";

/** Refresh `last_seen_at` at most this often, so reads do not become writes on every request. */
const TOUCH_INTERVAL_MS = 60_000;

export const idleMs = (config: Config) => config.SESSION_IDLE_MINUTES * 60_000;
export const absoluteMs = (config: Config) => config.SESSION_ABSOLUTE_HOURS * 3_600_000;

export function newSessionToken(): string {
  return toBase64Url(crypto.getRandomValues(new Uint8Array(32)));
}

export const sessionIdFor = (token: string) => sha256Hex(token);

export interface ResolvedSession {
  sessionId: string;
  stage: SessionStage;
  authAt: number;
  principal: Principal;
  expiresAt: number;
}

export async function resolveSession(
  deps: { db: AppDb; clock: Clock; config: Config },
  token: string,
): Promise<ResolvedSession | null> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return null;
  const id = await sessionIdFor(token);
  const now = deps.clock.now();
  const row = await deps.db
    .select({
      sessionId: sessions.id,
      lastSeenAt: sessions.lastSeenAt,
      expiresAt: sessions.expiresAt,
      revokedAt: sessions.revokedAt,
      stage: sessions.stage,
      authAt: sessions.authAt,
      userId: users.id,
      email: users.email,
      firstName: users.firstName,
      lastName: users.lastName,
      role: users.role,
      privileges: users.privileges,
      userStatus: users.status,
      orgId: organizations.id,
      orgKind: organizations.kind,
      orgName: organizations.name,
    })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .innerJoin(organizations, eq(organizations.id, users.orgId))
    .where(eq(sessions.id, id))
    .get();
  if (!row || row.revokedAt !== null || row.userStatus !== "active") return null;
  if (now >= row.expiresAt || now >= row.lastSeenAt + idleMs(deps.config)) return null;
  if (now - row.lastSeenAt >= TOUCH_INTERVAL_MS) {
    await deps.db.update(sessions).set({ lastSeenAt: now }).where(eq(sessions.id, id));
  }
  return {
    sessionId: id,
    expiresAt: row.expiresAt,
    stage: row.stage,
    authAt: row.authAt,
    principal: {
      stage: row.stage,
      userId: row.userId,
      email: row.email,
      firstName: row.firstName,
      lastName: row.lastName,
      role: row.role,
      privileges: parsePrivileges(row.privileges),
      orgId: row.orgId,
      orgKind: row.orgKind,
      orgName: row.orgName,
    },
  };
}

export function parsePrivileges(json: string): Privilege[] {
  try {
    const v: unknown = JSON.parse(json);
    return Array.isArray(v) ? (v.filter((x) => typeof x === "string") as Privilege[]) : [];
  } catch {
    return [];
  }
}

/** Housekeeping (cron): delete sessions that can no longer be used (expired, idle or revoked). */
export async function purgeSessions(deps: { db: AppDb; clock: Clock; config: Config }): Promise<void> {
  const now = deps.clock.now();
  await deps.db
    .delete(sessions)
    .where(or(lt(sessions.expiresAt, now), lt(sessions.lastSeenAt, now - idleMs(deps.config)), isNotNull(sessions.revokedAt)));
}
