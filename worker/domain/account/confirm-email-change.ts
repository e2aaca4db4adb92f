/**
 * Opens the link sent to the new address: single use (conditional UPDATE on `used_at IS NULL`), expires
 * after 24 h, and the address must still be free. The old address is told about the change.
 */
import { and, eq, gt, isNull } from "drizzle-orm";
import { atomically } from "../../db/atomic";
import { emailChanges, users } from "../../db/schema";
import { DomainError } from "../../errors";
import { sha256Hex } from "../../integrations/crypto/encoding";
import { auditIfChanged } from "../audit/record";
import type { DomainContext } from "../context";
import { dispatchEmails, prepareNotification } from "../email/notify";
import { whenText } from "../mfa/internal";
import { principalFor } from "../auth/principal";
import { ConfirmEmailInput } from "../../contract/inputs/account";

const INVALID = "This confirmation link is not valid any more. It may have been used already or have expired: change the email address again to get a new link.";

export async function confirmEmailChange(args: { ctx: DomainContext; input: ConfirmEmailInput }) {
  const input = ConfirmEmailInput.parse(args.input);
  const { ctx } = args;
  const now = ctx.clock.now();
  const tokenHash = await sha256Hex(input.token);
  const change = await ctx.db
    .select({ userId: emailChanges.userId, newEmail: emailChanges.newEmail, oldEmail: users.email, firstName: users.firstName, lastName: users.lastName, orgId: users.orgId, status: users.status })
    .from(emailChanges)
    .innerJoin(users, eq(users.id, emailChanges.userId))
    .where(and(eq(emailChanges.tokenHash, tokenHash), isNull(emailChanges.usedAt), gt(emailChanges.expiresAt, now)))
    .get();
  if (!change || change.status !== "active") throw new DomainError("INVALID_CODE", INVALID);
  const taken = await ctx.db.select({ id: users.id }).from(users).where(eq(users.email, change.newEmail)).get();
  if (taken) throw new DomainError("CONFLICT", "This email address is now used by another account.");
  // The link is the user's own action even when opened signed out: audit it as theirs.
  const auditCtx = { ...ctx, principal: (await principalFor(ctx, change.userId)) ?? undefined };
  const mail = await prepareNotification(ctx, {
    event: "email.change_notice",
    orgId: change.orgId,
    to: { address: change.oldEmail, name: `${change.firstName} ${change.lastName}` },
    tags: { "email_change.new_email": change.newEmail, "security.changed_at": whenText(now), "request.ip": ctx.ip ?? "unknown" },
    idempotencyKey: `email.change_notice:${tokenHash}`,
  });
  const results = await atomically(ctx.db, [
    ctx.db.update(emailChanges).set({ usedAt: now }).where(and(eq(emailChanges.tokenHash, tokenHash), isNull(emailChanges.usedAt))),
    ctx.db.update(users).set({ email: change.newEmail, updatedAt: now }).where(and(eq(users.id, change.userId), eq(users.email, change.oldEmail))),
    auditIfChanged(auditCtx, { action: "account.email_changed", orgId: change.orgId, targetType: "user", targetId: change.userId, before: { email: change.oldEmail }, after: { email: change.newEmail } }),
    ...mail.statements,
  ]);
  if (results[0]!.meta.changes !== 1 || results[1]!.meta.changes !== 1) throw new DomainError("INVALID_CODE", INVALID);
  await dispatchEmails(ctx, mail.messages);
  return { email: change.newEmail };
}
