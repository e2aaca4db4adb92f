/**
 * Confirms enrolment with a code from the authenticator: the pending credential becomes active (compare-and-
 * set on the sealed seed read, so a concurrent re-enrolment cannot be confirmed with the old code), ten
 * recovery codes replace any earlier ones, the audit row and the "MFA enabled" email commit in the same batch.
 * A session that was held at enrolment (MFA required by policy) becomes a full session under a new id.
 */
import { and, eq } from "drizzle-orm";
import { atomically, rawStatement } from "../../db/atomic";
import { sha256Hex } from "../../integrations/crypto/encoding";
import { totpCredentials, users } from "../../db/schema";
import { DomainError, conflict } from "../../errors";
import { decryptSecret } from "../../integrations/crypto/secrets";
import { auditIfChanged } from "../audit/record";
import { rotationFor } from "../auth/session-rotate";
import type { ActorContext } from "../context";
import { dispatchEmails, prepareNotification } from "../email/notify";
import { clearMfaAttempts, matchTotp, newRecoveryCodeSet, spendMfaAttempt, totpAad, whenText } from "./internal";
import { CodeInput } from "./schemas";

/** True only inside the batch of the request whose compare-and-set activated the credential (enabled_at = its now). */
const WON = "EXISTS (SELECT 1 FROM totp_credentials WHERE user_id = ? AND status = 'active' AND enabled_at = ?)";

export async function enableTotp(args: { ctx: ActorContext; input: CodeInput }) {
  const input = CodeInput.parse(args.input);
  const { ctx } = args;
  const userId = ctx.principal.userId;
  await spendMfaAttempt(ctx, userId);
  const pending = await ctx.db
    .select({ secretSealed: totpCredentials.secretSealed, status: totpCredentials.status })
    .from(totpCredentials)
    .where(eq(totpCredentials.userId, userId))
    .get();
  if (!pending) throw new DomainError("PRECONDITION_FAILED", "Turn on the MFA toggle first to get a new key.");
  if (pending.status === "active") throw conflict("Multi-factor authentication is already enabled.");
  const secret = await decryptSecret(ctx.config.SECRETS_KEY, pending.secretSealed, totpAad(userId));
  const now = ctx.clock.now();
  const counter = matchTotp(secret, input.code.replace(/\s+/g, ""), now);
  if (counter === null) throw new DomainError("INVALID_CODE", "The code is not correct.", { code: "The code is not correct. Check the time on your phone and try the newest code." });

  const { codes, rows } = await newRecoveryCodeSet(ctx, userId);
  const mail = await prepareNotification(ctx, {
    event: "mfa.enabled",
    orgId: ctx.principal.orgId,
    to: { userId },
    tags: { "mfa.method": "Authenticator app (TOTP)", "security.changed_at": whenText(now), "request.ip": ctx.ip ?? "unknown" },
    // One email per enrolment, even if two confirmations race (the loser's outbox insert is a no-op).
    idempotencyKey: `mfa.enabled:${userId}:${await sha256Hex(pending.secretSealed)}`,
  });
  const rotation = ctx.session?.stage === "enrol" ? await rotationFor(ctx, userId) : null;
  const results = await atomically(ctx.db, [
    ctx.db
      .update(totpCredentials)
      .set({ status: "active", enabledAt: now, lastUsedCounter: counter })
      .where(and(eq(totpCredentials.userId, userId), eq(totpCredentials.status, "pending"), eq(totpCredentials.secretSealed, pending.secretSealed))),
    auditIfChanged(ctx, { action: "mfa.enabled", orgId: ctx.principal.orgId, targetType: "user", targetId: userId, after: { method: "totp" } }),
    // Only the request that won the compare-and-set above replaces the recovery codes (guarded on its mark).
    rawStatement(`DELETE FROM recovery_codes WHERE user_id = ? AND ${WON}`, [userId, userId, now]),
    ...rows.map((r) =>
      rawStatement(`INSERT INTO recovery_codes (code_hash, user_id, used_at, created_at) SELECT ?, ?, NULL, ? WHERE ${WON}`, [r.codeHash, userId, now, userId, now]),
    ),
    ...mail.statements,
    ...(rotation ? [...rotation.statements, ctx.db.update(users).set({ lastLoginAt: now }).where(eq(users.id, userId))] : []),
  ]);
  if (results[0]!.meta.changes !== 1) throw conflict("Multi-factor authentication was enabled by another request.");
  await clearMfaAttempts(ctx, userId);
  await dispatchEmails(ctx, mail.messages);
  return { recoveryCodes: codes, session: rotation?.next ?? null };
}
