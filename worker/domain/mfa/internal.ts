/**
 * Shared second-factor machinery: TOTP verification with replay protection, recovery codes, the per-user
 * attempt limit, the step-up guard and the platform MFA policy.
 *
 * - TOTP: otpauth's `validate` has no replay protection, so an accepted code's 30-second counter is written
 *   with a compare-and-set (`WHERE last_used_counter < counter`); a code at or below the stored counter, or
 *   two concurrent submissions of one code, get exactly one success.
 * - Attempts: at most MFA_MAX_ATTEMPTS second-factor checks per user per 30-second window, counted with one
 *   atomic upsert BEFORE the check, so parallel guesses cannot slip past the limit.
 * - Recovery codes: 80 random bits each, stored as HMAC-SHA256(pepper, code); used once (conditional UPDATE).
 */
import { and, eq, isNull, lt, sql } from "drizzle-orm";
import { Secret, TOTP } from "otpauth";
import { passkeys, recoveryCodes, securitySettings, totpCredentials } from "../../db/schema";
import { DomainError } from "../../errors";
import { decryptSecret } from "../../integrations/crypto/secrets";
import { toHex, utf8 } from "../../integrations/crypto/encoding";
import { isOperatorRole } from "../../contract/policy";
import type { Role } from "../../contract/roles";
import type { ActorContext, DomainContext } from "../context";

export const TOTP_PERIOD_S = 30;
export const TOTP_DIGITS = 6;
export const TOTP_WINDOW = 1;
export const MFA_WINDOW_MS = 30_000;
export const MFA_MAX_ATTEMPTS = 5;
export const STEP_UP_MAX_AGE_MS = 5 * 60_000;
export const RECOVERY_CODE_COUNT = 10;

export const totpAad = (userId: string) => `${userId}|totp.seed|v1`;

export function totpFor(secretBase32: string, accountEmail: string, issuer: string): TOTP {
  return new TOTP({
    issuer,
    label: accountEmail,
    algorithm: "SHA1",
    digits: TOTP_DIGITS,
    period: TOTP_PERIOD_S,
    secret: Secret.fromBase32(secretBase32),
  });
}

/** The 30-second step a code matches (within ±1), or null. */
export function matchTotp(secretBase32: string, token: string, now: number): number | null {
  const totp = new TOTP({ algorithm: "SHA1", digits: TOTP_DIGITS, period: TOTP_PERIOD_S, secret: Secret.fromBase32(secretBase32) });
  const delta = totp.validate({ token, timestamp: now, window: TOTP_WINDOW });
  if (delta === null) return null;
  return Math.floor(now / 1000 / TOTP_PERIOD_S) + delta;
}

/** Counts one second-factor attempt; throws RATE_LIMITED past the limit (before any code is checked). */
export async function spendMfaAttempt(ctx: DomainContext, userId: string): Promise<void> {
  const now = ctx.clock.now();
  const windowStart = now - MFA_WINDOW_MS;
  const row = await ctx.db.get<{ attempts: number; window_started_at: number }>(sql`
    INSERT INTO mfa_attempts (user_id, window_started_at, attempts) VALUES (${userId}, ${now}, 1)
    ON CONFLICT(user_id) DO UPDATE SET
      attempts = CASE WHEN mfa_attempts.window_started_at <= ${windowStart} THEN 1 ELSE mfa_attempts.attempts + 1 END,
      window_started_at = CASE WHEN mfa_attempts.window_started_at <= ${windowStart} THEN ${now} ELSE mfa_attempts.window_started_at END
    RETURNING attempts, window_started_at`);
  if (row && row.attempts > MFA_MAX_ATTEMPTS) {
    const retryAfter = Math.max(1, Math.ceil((row.window_started_at + MFA_WINDOW_MS - now) / 1000));
    throw new DomainError("RATE_LIMITED", `Too many codes tried. Try again in ${retryAfter} seconds.`, undefined, { "Retry-After": String(retryAfter) });
  }
}

/** Housekeeping (cron): rows whose window is over count for nothing (the next attempt starts a new window). */
export async function purgeMfaAttempts(ctx: Pick<DomainContext, "db" | "clock">): Promise<void> {
  await ctx.db.run(sql`DELETE FROM mfa_attempts WHERE window_started_at <= ${ctx.clock.now() - MFA_WINDOW_MS}`);
}

export async function clearMfaAttempts(ctx: DomainContext, userId: string): Promise<void> {
  await ctx.db.run(sql`DELETE FROM mfa_attempts WHERE user_id = ${userId}`);
}

export async function activeTotp(ctx: DomainContext, userId: string) {
  return ctx.db
    .select({ secretSealed: totpCredentials.secretSealed, lastUsedCounter: totpCredentials.lastUsedCounter, enabledAt: totpCredentials.enabledAt })
    .from(totpCredentials)
    .where(and(eq(totpCredentials.userId, userId), eq(totpCredentials.status, "active")))
    .get();
}

export const isTotpCode = (code: string) => /^\d{6}$/.test(code.replace(/\s+/g, ""));

export function normaliseRecoveryCode(code: string): string {
  return code.toUpperCase().replace(/[^0-9A-Z]/g, "");
}

export async function recoveryCodeHash(pepper: string, code: string): Promise<string> {
  const key = await crypto.subtle.importKey("raw", utf8(pepper), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const mac = await crypto.subtle.sign("HMAC", key, utf8(`recovery-code|${normaliseRecoveryCode(code)}`));
  return toHex(new Uint8Array(mac));
}

const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
/** 16 Crockford base32 characters (80 bits), shown as XXXX-XXXX-XXXX-XXXX. */
export function newRecoveryCode(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  let out = "";
  for (const b of bytes) out += CROCKFORD[b & 31];
  return out.match(/.{4}/g)!.join("-");
}

export async function newRecoveryCodeSet(ctx: DomainContext, userId: string) {
  const now = ctx.clock.now();
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
  const rows = await Promise.all(codes.map(async (c) => ({ codeHash: await recoveryCodeHash(ctx.config.PASSWORD_PEPPER, c), userId, usedAt: null, createdAt: now })));
  return { codes, rows };
}

export type SecondFactor = { kind: "totp"; counter: number } | { kind: "recovery" };

/**
 * Checks a TOTP or recovery code for `userId` (who must have TOTP active) and CONSUMES it: the TOTP counter
 * is advanced / the recovery code marked used by a conditional UPDATE, so each code works once even under
 * concurrent submission. Counts toward the attempt limit. Throws INVALID_CODE on any failure.
 */
export async function consumeSecondFactor(ctx: DomainContext, userId: string, rawCode: string): Promise<SecondFactor> {
  await spendMfaAttempt(ctx, userId);
  const code = rawCode.trim();
  const totp = await activeTotp(ctx, userId);
  if (!totp) throw new DomainError("INVALID_CODE", "Multi-factor authentication is not enabled for this account.");
  const now = ctx.clock.now();
  if (isTotpCode(code)) {
    const secret = await decryptSecret(ctx.config.SECRETS_KEY, totp.secretSealed, totpAad(userId));
    const counter = matchTotp(secret, code.replace(/\s+/g, ""), now);
    if (counter !== null && counter > totp.lastUsedCounter) {
      const res = await ctx.db
        .update(totpCredentials)
        .set({ lastUsedCounter: counter })
        .where(and(eq(totpCredentials.userId, userId), eq(totpCredentials.status, "active"), lt(totpCredentials.lastUsedCounter, counter)))
        .run();
      if (res.meta.changes === 1) {
        await clearMfaAttempts(ctx, userId);
        return { kind: "totp", counter };
      }
    }
    throw new DomainError("INVALID_CODE", counter !== null ? "This code was already used. Wait for the next code." : "The code is not correct.", {
      code: counter !== null ? "This code was already used. Wait for the next code." : "The code is not correct.",
    });
  }
  const hash = await recoveryCodeHash(ctx.config.PASSWORD_PEPPER, code);
  const res = await ctx.db
    .update(recoveryCodes)
    .set({ usedAt: now })
    .where(and(eq(recoveryCodes.codeHash, hash), eq(recoveryCodes.userId, userId), isNull(recoveryCodes.usedAt)))
    .run();
  if (res.meta.changes === 1) {
    await clearMfaAttempts(ctx, userId);
    return { kind: "recovery" };
  }
  throw new DomainError("INVALID_CODE", "The code is not correct.", { code: "The code is not correct." });
}

/** Throws STEP_UP_REQUIRED unless the session proved the user's identity within the last 5 minutes. */
export function requireFreshAuth(ctx: ActorContext): void {
  const authAt = ctx.session?.authAt ?? 0;
  if (ctx.clock.now() - authAt > STEP_UP_MAX_AGE_MS) {
    throw new DomainError("STEP_UP_REQUIRED", "Confirm it's you: sign in again to continue (needed within 5 minutes for this action).");
  }
}

export async function platformMfaPolicy(ctx: DomainContext): Promise<{ requireMfaStaff: boolean; requireMfaAll: boolean }> {
  const row = await ctx.db
    .select({ requireMfaStaff: securitySettings.requireMfaStaff, requireMfaAll: securitySettings.requireMfaAll })
    .from(securitySettings)
    .where(eq(securitySettings.id, "platform"))
    .get();
  return row ?? { requireMfaStaff: false, requireMfaAll: false };
}

/** Whether the platform policy requires this role to have MFA; a TOTP authenticator OR a passkey satisfies it. */
export function mfaRequiredFor(role: Role, policy: { requireMfaStaff: boolean; requireMfaAll: boolean }): boolean {
  if (policy.requireMfaAll) return true;
  return policy.requireMfaStaff && isOperatorRole(role);
}

export async function unusedRecoveryCodes(ctx: DomainContext, userId: string): Promise<number> {
  const row = await ctx.db.get<{ n: number }>(sql`SELECT COUNT(*) AS n FROM recovery_codes WHERE user_id = ${userId} AND used_at IS NULL`);
  return row?.n ?? 0;
}

export async function passkeyCount(ctx: DomainContext, userId: string): Promise<number> {
  const rows = await ctx.db.select({ id: passkeys.id }).from(passkeys).where(eq(passkeys.userId, userId)).all();
  return rows.length;
}

export const whenText = (ms: number) => new Date(ms).toISOString().replace("T", " ").slice(0, 16) + " UTC";
