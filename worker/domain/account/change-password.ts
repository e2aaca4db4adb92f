/**
 * "Change Password" → "Done". The old password is checked (a wrong one counts toward the sign-in throttle),
 * the new one must pass the policy (length, common list, not the old one). In ONE batch: the new hash, every
 * other session of the user revoked, this session rotated to a new id, the audit row and the email.
 */
import { and, eq, isNull, ne } from "drizzle-orm";
import { atomically } from "../../db/atomic";
import { sessions, users } from "../../db/schema";
import { validationFailed } from "../../errors";
import { hashPassword } from "../../integrations/crypto/password";
import { auditStatement } from "../audit/record";
import { rotationFor } from "../sessions/rotate";
import { checkOwnPassword } from "../auth/step-up";
import type { ActorContext } from "../context";
import { dispatchEmails, prepareNotification } from "../email/notify";
import { whenText } from "../mfa/internal";
import { passwordProblem } from "./password-policy";
import { ChangePasswordInput } from "../../contract/inputs/account";

export async function changePassword(args: { ctx: ActorContext; input: ChangePasswordInput }) {
  const input = ChangePasswordInput.parse(args.input);
  const { ctx } = args;
  const userId = ctx.principal.userId;
  // Policy first (no hashing, no throttle cost), so a weak new password is reported with the old one intact.
  const problem = await passwordProblem(input.newPassword, { email: ctx.principal.email, oldPassword: input.oldPassword });
  if (problem) throw validationFailed({ newPassword: problem });
  await checkOwnPassword(ctx, input.oldPassword, "oldPassword");

  const now = ctx.clock.now();
  const hash = await hashPassword(input.newPassword, ctx.config.PASSWORD_PEPPER);
  const { next, statements } = await rotationFor(ctx, userId);
  const mail = await prepareNotification(ctx, {
    event: "password.changed",
    orgId: ctx.principal.orgId,
    to: { userId },
    tags: { "security.changed_at": whenText(now), "request.ip": ctx.ip ?? "unknown" },
    idempotencyKey: `password.changed:${userId}:${now}`,
  });
  await atomically(ctx.db, [
    ctx.db.update(users).set({ passwordHash: hash, passwordChangedAt: now, updatedAt: now }).where(eq(users.id, userId)),
    // Every other session ends now (ASVS 7.4.3); this one continues under a new id.
    ctx.db
      .update(sessions)
      .set({ revokedAt: now })
      .where(and(eq(sessions.userId, userId), ne(sessions.id, ctx.session!.id), isNull(sessions.revokedAt))),
    ...statements,
    auditStatement(ctx, { action: "account.password_changed", orgId: ctx.principal.orgId, targetType: "user", targetId: userId, before: { password: "old" }, after: { password: "new" } }),
    ...mail.statements,
  ]);
  await dispatchEmails(ctx, mail.messages);
  return { session: next };
}
