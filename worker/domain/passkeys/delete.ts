/**
 * Deletes one of the user's own passkeys; a sensitive action (step-up within 5 minutes). Under a policy that
 * requires MFA, the last passkey of a user without an authenticator app stays (it is their MFA).
 */
import { and, eq } from "drizzle-orm";
import { atomically } from "../../db/atomic";
import { passkeys } from "../../db/schema";
import { DomainError, notFound } from "../../errors";
import { auditIfChanged } from "../audit/record";
import type { ActorContext } from "../context";
import { activeTotp, mfaRequiredFor, passkeyCount, platformMfaPolicy, requireFreshAuth } from "../mfa/internal";

export async function deletePasskey(args: { ctx: ActorContext; input: { id: string } }) {
  const { ctx } = args;
  const own = await ctx.db.select({ name: passkeys.name }).from(passkeys).where(and(eq(passkeys.id, args.input.id), eq(passkeys.userId, ctx.principal.userId))).get();
  if (!own) throw notFound("Passkey");
  requireFreshAuth(ctx);
  const [policy, totp, count] = await Promise.all([platformMfaPolicy(ctx), activeTotp(ctx, ctx.principal.userId), passkeyCount(ctx, ctx.principal.userId)]);
  if (mfaRequiredFor(ctx.principal.role, policy) && !totp && count <= 1) {
    throw new DomainError("MFA_REQUIRED", "Multi-factor authentication is required for your account by the platform policy and this passkey is your only second factor: add another passkey or an authenticator app first.");
  }
  const results = await atomically(ctx.db, [
    ctx.db.delete(passkeys).where(and(eq(passkeys.id, args.input.id), eq(passkeys.userId, ctx.principal.userId))),
    auditIfChanged(ctx, { action: "passkey.deleted", orgId: ctx.principal.orgId, targetType: "passkey", targetId: args.input.id, before: { name: own.name } }),
  ]);
  if (results[0]!.meta.changes === 0) throw notFound("Passkey");
}
