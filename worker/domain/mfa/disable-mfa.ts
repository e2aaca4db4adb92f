/**
 * Turns MFA off. Needs a fresh re-authentication (step-up within 5 minutes) AND a current TOTP code or an
 * unused recovery code; refused while the platform policy requires MFA for this user and no passkey would remain
 * to satisfy it (a passkey is MFA on its own). The seed and the
 * recovery codes are deleted; audit row and "MFA disabled" email in the same batch.
 */
import { eq } from "drizzle-orm";
import { atomically } from "../../db/atomic";
import { recoveryCodes, totpCredentials } from "../../db/schema";
import { DomainError } from "../../errors";
import { auditStatement } from "../audit/record";
import type { ActorContext } from "../context";
import { dispatchEmails, prepareNotification } from "../email/notify";
import { consumeSecondFactor, mfaRequiredFor, passkeyCount, platformMfaPolicy, requireFreshAuth, whenText } from "./internal";
import { CodeInput } from "../../contract/inputs/mfa";

export async function disableMfa(args: { ctx: ActorContext; input: CodeInput }) {
  const input = CodeInput.parse(args.input);
  const { ctx } = args;
  requireFreshAuth(ctx);
  const userId = ctx.principal.userId;
  if (mfaRequiredFor(ctx.principal.role, await platformMfaPolicy(ctx)) && (await passkeyCount(ctx, userId)) === 0) {
    throw new DomainError("MFA_REQUIRED", "Multi-factor authentication is required for your account by the platform policy: add a passkey before you turn off the authenticator app.");
  }
  const factor = await consumeSecondFactor(ctx, userId, input.code);
  const now = ctx.clock.now();
  const mail = await prepareNotification(ctx, {
    event: "mfa.disabled",
    orgId: ctx.principal.orgId,
    to: { userId },
    tags: { "mfa.method": "Authenticator app (TOTP)", "security.changed_at": whenText(now), "request.ip": ctx.ip ?? "unknown" },
    idempotencyKey: `mfa.disabled:${userId}:${now}`,
  });
  await atomically(ctx.db, [
    ctx.db.delete(totpCredentials).where(eq(totpCredentials.userId, userId)),
    ctx.db.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId)),
    auditStatement(ctx, { action: "mfa.disabled", orgId: ctx.principal.orgId, targetType: "user", targetId: userId, before: { method: "totp" }, after: { confirmedWith: factor.kind } }),
    ...mail.statements,
  ]);
  await dispatchEmails(ctx, mail.messages);
}
