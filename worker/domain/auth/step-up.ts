/**
 * Step-up: the signed-in user proves it is them again (password, plus a TOTP/recovery code when MFA is on)
 * before a sensitive action. A wrong password counts toward the sign-in throttle. Success rotates the session
 * id and stamps `auth_at`, which sensitive verbs require within 5 minutes (mfa/internal.ts requireFreshAuth).
 * Passkey step-up lives in domain/passkeys/finish-authentication.ts.
 */
import { eq } from "drizzle-orm";
import { z } from "zod";
import { atomically } from "../../db/atomic";
import { users } from "../../db/schema";
import { DomainError } from "../../errors";
import { verifyPassword } from "../../integrations/crypto/password";
import { LoginPasswordSchema } from "../../contract/schemas";
import { auditStatement } from "../audit/record";
import type { ActorContext } from "../context";
import { activeTotp, consumeSecondFactor } from "../mfa/internal";
import { rotationFor } from "../sessions/rotate";
import { assertNotThrottled, clearAccountFailures, recordFailure, throttleKeys } from "./throttle";

export const StepUpInput = z.object({ password: LoginPasswordSchema, code: z.string().trim().max(64).optional() });
export type StepUpInput = z.infer<typeof StepUpInput>;

/**
 * Verifies the current password of the signed-in user (Change Password, step-up), counting a failure toward the
 * sign-in throttle exactly like a failed sign-in, so a stolen session cannot be used to guess the password.
 */
export async function checkOwnPassword(ctx: ActorContext, password: string, field = "password"): Promise<void> {
  const keys = await throttleKeys(ctx.principal.email, ctx.ip);
  await assertNotThrottled(ctx, keys);
  const row = await ctx.db.select({ hash: users.passwordHash }).from(users).where(eq(users.id, ctx.principal.userId)).get();
  const verdict = row ? await verifyPassword(password, row.hash, ctx.config.PASSWORD_PEPPER) : { ok: false };
  if (!verdict.ok) {
    await recordFailure(ctx, keys);
    // 400 with a field message, not 401: the caller IS signed in; only this password is wrong.
    throw new DomainError("VALIDATION_FAILED", "The password is not correct.", { [field]: "The password is not correct." });
  }
  await clearAccountFailures(ctx, keys);
}

export async function stepUp(args: { ctx: ActorContext; input: StepUpInput }) {
  const input = StepUpInput.parse(args.input);
  const { ctx } = args;
  await checkOwnPassword(ctx, input.password);
  let method = "password";
  if (await activeTotp(ctx, ctx.principal.userId)) {
    if (!input.code) throw new DomainError("VALIDATION_FAILED", "Enter the code from your authenticator app.", { code: "Enter the code from your authenticator app or a recovery code." });
    const f = await consumeSecondFactor(ctx, ctx.principal.userId, input.code);
    method = f.kind === "totp" ? "password+totp" : "password+recovery_code";
  }
  const { next, statements } = await rotationFor(ctx, ctx.principal.userId);
  await atomically(ctx.db, [
    ...statements,
    auditStatement(ctx, { action: "auth.step_up", orgId: ctx.principal.orgId, targetType: "user", targetId: ctx.principal.userId, after: { method } }),
  ]);
  return { session: next };
}
