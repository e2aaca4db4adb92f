/**
 * Confirms enrolment with a code from the authenticator: the pending credential becomes active (compare-and-
 * set on the sealed seed read, so a concurrent re-enrolment cannot be confirmed with the old code), ten
 * recovery codes replace any earlier ones, the audit row and the "MFA enabled" email commit in the same batch.
 * A session that was held at enrolment (MFA required by policy) becomes a full session under a new id.
 */
import { and, eq } from "drizzle-orm";
import { abortUnlessChanged, atomically, isGuardAbort } from "../../db/atomic";
import { sha256Hex } from "../../integrations/crypto/encoding";
import { recoveryCodes, totpCredentials, users } from "../../db/schema";
import { DomainError, conflict } from "../../errors";
import { decryptSecret } from "../../integrations/crypto/secrets";
import { auditStatement } from "../audit/record";
import { rotationFor } from "../sessions/rotate";
import type { ActorContext } from "../context";
import { dispatchEmails, prepareNotification } from "../email/notify";
import { clearMfaAttempts, matchTotp, newRecoveryCodeSet, spendMfaAttempt, totpAad, whenText } from "./internal";
import { CodeInput } from "../../contract/inputs/mfa";

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
  try {
    // Only the request that wins the compare-and-set activates, audits and replaces the recovery codes: the guard
    // rolls the whole batch back for the others (worker/db/atomic.ts).
    await atomically(ctx.db, [
      ctx.db
        .update(totpCredentials)
        .set({ status: "active", enabledAt: now, lastUsedCounter: counter })
        .where(and(eq(totpCredentials.userId, userId), eq(totpCredentials.status, "pending"), eq(totpCredentials.secretSealed, pending.secretSealed))),
      abortUnlessChanged(),
      auditStatement(ctx, { action: "mfa.enabled", orgId: ctx.principal.orgId, targetType: "user", targetId: userId, after: { method: "totp" } }),
      ctx.db.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId)),
      ctx.db.insert(recoveryCodes).values(rows),
      ...mail.statements,
      ...(rotation ? [...rotation.statements, ctx.db.update(users).set({ lastLoginAt: now }).where(eq(users.id, userId))] : []),
    ]);
  } catch (err) {
    if (isGuardAbort(err)) throw conflict("Multi-factor authentication was enabled by another request.");
    throw err;
  }
  await clearMfaAttempts(ctx, userId);
  await dispatchEmails(ctx, mail.messages);
  return { recoveryCodes: codes, session: rotation?.next ?? null };
}
