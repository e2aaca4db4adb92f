/**
 * Sessions remembered by this isolate, so a signed-in read costs one D1 round trip instead of two
 * (docs/decisions/014a-one-round-trip-reads.md). An entry is never trusted on its own: a request that uses it
 * re-reads the session in the same batch as its first read (db/speculative.ts), and answers from the data only
 * if the session still grants exactly the remembered principal. So a sign-out, a revocation, a disabled user or
 * a role change elsewhere — in any isolate — takes effect on the very next request.
 *
 * Entries are used only while no `last_seen_at` refresh is due (≤ 1 minute after the last one, which needs a
 * write and goes the ordinary way), and the map is bounded (oldest entries go first).
 */
import type { Config } from "../../env";
import { idleMs, liveSession, SESSION_HOLDS_SQL, SESSION_ROW_SQL, sessionHoldsParams, touchDue, type LiveSession } from "./store";
import type { Speculation } from "../../db/speculative";

// Isolate cache (deliberate, see above): bounded, and every use is re-validated against D1.
const remembered = new Map<string, LiveSession>();
/**
 * The session id (the token's SHA-256) of each remembered token, so a request on a remembered session skips the
 * hash. Only a shortcut to the id: the entry and its re-check above decide. Held in the isolate's memory only,
 * like the token of the request being served; D1 still stores only the hash (ADR 003).
 */
const idByToken = new Map<string, string>();
const MAX_ENTRIES = 5_000;

function bounded<K, V>(map: Map<K, V>, key: K, value: V): void {
  map.delete(key);
  map.set(key, value);
  if (map.size > MAX_ENTRIES) map.delete(map.keys().next().value!);
}

export function rememberSession(session: LiveSession, token: string): void {
  bounded(remembered, session.sessionId, session);
  bounded(idByToken, token, session.sessionId);
}

export function forgetSession(sessionId: string): void {
  remembered.delete(sessionId);
}

/** A remembered session the request with this token may run with, pending the re-check. */
export function rememberedSession(token: string, now: number, config: Config): LiveSession | undefined {
  const sessionId = idByToken.get(token);
  const s = sessionId === undefined ? undefined : remembered.get(sessionId);
  if (!s) return undefined;
  if (now >= s.expiresAt || now >= s.lastSeenAt + idleMs(config) || touchDue(s, now)) return undefined;
  return s;
}

/** The re-check: the session row read now must still be live and grant exactly what `session` granted. */
export function sessionSpeculation(session: LiveSession, now: number, config: Config): Speculation {
  return {
    sql: SESSION_ROW_SQL,
    params: [session.sessionId],
    accept: (row) => liveSession(row, now, config)?.grants === session.grants,
    column: { sql: SESSION_HOLDS_SQL, params: sessionHoldsParams(session, now, config), accept: (value) => value === 1 },
  };
}
