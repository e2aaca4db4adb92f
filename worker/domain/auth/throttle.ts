/**
 * Sign-in throttling per account and per IP, in D1 (one atomic upsert per failure).
 *
 * - Account: the first 5 failures in a 15-minute window are free; from the 5th on, the account is locked
 *   for 30 s, doubling with each further failure, capped at 15 minutes. The window restarts 15 minutes
 *   after its first failure, so a real user is never locked out for longer than 15 minutes after the
 *   attacker stops (no lockout DoS), and a success clears the counter.
 * - IP: 50 failures in the window lock that IP for the rest of the window (credential stuffing).
 * Locked requests answer 429 RATE_LIMITED with Retry-After, before any password is derived.
 */
import { sql } from "drizzle-orm";
import { DomainError } from "../../errors";
import { sha256Hex } from "../../integrations/crypto/encoding";
import type { DomainContext } from "../context";

export const THROTTLE_WINDOW_MS = 15 * 60_000;
export const ACCOUNT_FREE_FAILURES = 5;
export const ACCOUNT_BASE_LOCK_MS = 30_000;
export const ACCOUNT_MAX_LOCK_MS = 15 * 60_000;
export const IP_MAX_FAILURES = 50;

export interface ThrottleKeys {
  account: string;
  ip: string | null;
}

export async function throttleKeys(email: string, ip: string | null): Promise<ThrottleKeys> {
  return { account: `acct:${await sha256Hex(email.toLowerCase())}`, ip: ip ? `ip:${ip}` : null };
}

const keyList = (k: ThrottleKeys) => (k.ip ? [k.account, k.ip] : [k.account]);

/** Throws RATE_LIMITED when either key is locked. */
export async function assertNotThrottled(ctx: DomainContext, keys: ThrottleKeys): Promise<void> {
  const now = ctx.clock.now();
  const list = keyList(keys);
  const rows = await ctx.db.all<{ locked_until: number }>(
    sql`SELECT locked_until FROM login_throttle WHERE key IN (${sql.join(list, sql`, `)}) AND locked_until > ${now}`,
  );
  if (rows.length === 0) return;
  const until = Math.max(...rows.map((r) => r.locked_until));
  const retryAfter = Math.max(1, Math.ceil((until - now) / 1000));
  throw new DomainError("RATE_LIMITED", `Too many failed sign-in attempts. Try again in ${retryAfter} seconds.`, undefined, {
    "Retry-After": String(retryAfter),
  });
}

function lockFor(key: string, failures: number): number {
  if (key.startsWith("ip:")) return failures >= IP_MAX_FAILURES ? THROTTLE_WINDOW_MS : 0;
  if (failures < ACCOUNT_FREE_FAILURES) return 0;
  // NOTE: 2 ** n overflows nothing here: the exponent is clamped well before the cap matters.
  const exp = Math.min(failures - ACCOUNT_FREE_FAILURES, 10);
  return Math.min(ACCOUNT_BASE_LOCK_MS * 2 ** exp, ACCOUNT_MAX_LOCK_MS);
}

export async function recordFailure(ctx: DomainContext, keys: ThrottleKeys): Promise<void> {
  const now = ctx.clock.now();
  const windowStart = now - THROTTLE_WINDOW_MS;
  for (const key of keyList(keys)) {
    const row = await ctx.db.get<{ failures: number; window_started_at: number }>(sql`
      INSERT INTO login_throttle (key, failures, window_started_at, locked_until) VALUES (${key}, 1, ${now}, 0)
      ON CONFLICT(key) DO UPDATE SET
        failures = CASE WHEN login_throttle.window_started_at <= ${windowStart} THEN 1 ELSE login_throttle.failures + 1 END,
        window_started_at = CASE WHEN login_throttle.window_started_at <= ${windowStart} THEN ${now} ELSE login_throttle.window_started_at END,
        locked_until = CASE WHEN login_throttle.window_started_at <= ${windowStart} THEN 0 ELSE login_throttle.locked_until END
      RETURNING failures, window_started_at`);
    const lock = row ? lockFor(key, row.failures) : 0;
    if (lock > 0) {
      // The IP lock lasts to the end of its window; the account lock grows with each failure.
      const until = key.startsWith("ip:") ? row!.window_started_at + THROTTLE_WINDOW_MS : now + lock;
      await ctx.db.run(sql`UPDATE login_throttle SET locked_until = MAX(locked_until, ${until}) WHERE key = ${key}`);
    }
  }
}

export async function clearAccountFailures(ctx: DomainContext, keys: ThrottleKeys): Promise<void> {
  await ctx.db.run(sql`DELETE FROM login_throttle WHERE key = ${keys.account}`);
}

/** Housekeeping (cron): drop rows whose window and lock have both passed. */
export async function purgeThrottle(ctx: Pick<DomainContext, "db" | "clock">): Promise<void> {
  const now = ctx.clock.now();
  await ctx.db.run(sql`DELETE FROM login_throttle WHERE window_started_at <= ${now - THROTTLE_WINDOW_MS} AND locked_until <= ${now}`);
}
