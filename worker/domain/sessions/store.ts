/**
 * Server-side sessions. The cookie carries a 256-bit random token; D1 stores only its SHA-256, so a
 * database leak does not yield usable sessions. A session ends at the first of: sign-out (revoked),
 * idle timeout (no request for SESSION_IDLE_MINUTES), absolute timeout (SESSION_ABSOLUTE_HOURS after
 * sign-in), or the user being disabled.
 */
import { eq, isNotNull, lt, or } from "drizzle-orm";
import type { Privilege } from "../../contract/roles";
import { sessions } from "../../db/schema";
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

/** The session, its user and organization as one row (the same statement resolves and re-checks a session). */
export const SESSION_ROW_SQL = `SELECT s.id AS sessionId, s.last_seen_at AS lastSeenAt, s.expires_at AS expiresAt, s.revoked_at AS revokedAt, s.stage, s.auth_at AS authAt,
  u.id AS userId, u.email, u.first_name AS firstName, u.last_name AS lastName, u.role, u.privileges, u.status AS userStatus,
  o.id AS orgId, o.kind AS orgKind, o.name AS orgName
  FROM sessions s JOIN users u ON u.id = s.user_id JOIN organizations o ON o.id = u.org_id WHERE s.id = ?`;

/**
 * What a session grants, as SESSION_ROW_SQL's keys and as its columns, in one order: LiveSession.grants lists the
 * values, and a re-check compares them (liveSession below, SESSION_HOLDS_SQL).
 */
const GRANTS = [
  ["stage", "s.stage"], ["authAt", "s.auth_at"], ["expiresAt", "s.expires_at"], ["userId", "u.id"], ["email", "u.email"],
  ["firstName", "u.first_name"], ["lastName", "u.last_name"], ["role", "u.role"], ["privileges", "u.privileges"],
  ["orgId", "o.id"], ["orgKind", "o.kind"], ["orgName", "o.name"],
] as const satisfies readonly (readonly [keyof SessionRow, string])[];

/**
 * The re-check as ONE scalar SQL expression, to append to a read's select list (db/speculative.ts): 1 when the
 * session is live at the bound `now` (not revoked, user active, neither expired nor idle) and still grants exactly
 * the bound values, else 0 — what `liveSession(row)?.grants === remembered.grants` decides from SESSION_ROW_SQL's
 * row, decided by SQLite (`IS` compares like the JSON text does: type and value, NULL equal to NULL). Values are
 * bound (sessionHoldsParams), so the text is one statement for every session and every row carries one integer
 * rather than the session row as JSON (ADR 014a, cost model).
 */
export const SESSION_HOLDS_SQL = `EXISTS (SELECT 1 FROM sessions s JOIN users u ON u.id = s.user_id JOIN organizations o ON o.id = u.org_id
  WHERE s.id = ? AND s.revoked_at IS NULL AND u.status = 'active' AND s.expires_at > ? AND s.last_seen_at > ? AND ${GRANTS.map(([, column]) => `${column} IS ?`).join(" AND ")})`;

/** SESSION_HOLDS_SQL's parameters for `session` re-checked at `now`. */
export function sessionHoldsParams(session: LiveSession, now: number, config: Config): unknown[] {
  return [session.sessionId, now, now - idleMs(config), ...(JSON.parse(session.grants) as unknown[])];
}

interface SessionRow {
  sessionId: string;
  lastSeenAt: number;
  expiresAt: number;
  revokedAt: number | null;
  stage: SessionStage;
  authAt: number;
  userId: string;
  email: string;
  firstName: string;
  lastName: string;
  role: Principal["role"];
  privileges: string;
  userStatus: string;
  orgId: string;
  orgKind: Principal["orgKind"];
  orgName: string;
}

export interface LiveSession extends ResolvedSession {
  lastSeenAt: number;
  /** What the session grants, as text: a re-check compares it (domain/sessions/cache.ts). */
  grants: string;
}

/** The row as a usable session, or null when it is revoked, expired, idle or its user is disabled. */
export function liveSession(row: Record<string, unknown> | undefined, now: number, config: Config): LiveSession | null {
  const r = row as SessionRow | undefined;
  if (!r || r.revokedAt !== null || r.userStatus !== "active") return null;
  if (now >= r.expiresAt || now >= r.lastSeenAt + idleMs(config)) return null;
  return {
    sessionId: r.sessionId,
    expiresAt: r.expiresAt,
    stage: r.stage,
    authAt: r.authAt,
    lastSeenAt: r.lastSeenAt,
    grants: JSON.stringify(GRANTS.map(([key]) => r[key])),
    principal: {
      stage: r.stage, userId: r.userId, email: r.email, firstName: r.firstName, lastName: r.lastName, role: r.role,
      privileges: parsePrivileges(r.privileges), orgId: r.orgId, orgKind: r.orgKind, orgName: r.orgName,
    },
  };
}

/** Whether `last_seen_at` is due a refresh (at most once a minute, so reads do not become writes). */
export const touchDue = (s: { lastSeenAt: number }, now: number) => now - s.lastSeenAt >= TOUCH_INTERVAL_MS;

export async function resolveSession(deps: { db: AppDb; clock: Clock; config: Config }, token: string): Promise<LiveSession | null> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return null;
  const id = await sessionIdFor(token);
  const now = deps.clock.now();
  const session = liveSession((await deps.db.$client.prepare(SESSION_ROW_SQL).bind(id).first<Record<string, unknown>>()) ?? undefined, now, deps.config);
  if (session && touchDue(session, now)) {
    await deps.db.update(sessions).set({ lastSeenAt: now }).where(eq(sessions.id, id));
    session.lastSeenAt = now;
  }
  return session;
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
