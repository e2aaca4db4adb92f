/**
 * The second step of a password sign-in: a TOTP code or a recovery code turns the half-signed-in session
 * (stage `mfa`) into a full one, under a NEW session id. Throttled (5 per 30 s per user), single use.
 */
import { eq } from "drizzle-orm";
import { users } from "../../db/schema";
import { atomically } from "../../db/atomic";
import { DomainError } from "../../errors";
import { auditStatement } from "../audit/record";
import { rotationFor } from "../sessions/rotate";
import type { ActorContext } from "../context";
import { consumeSecondFactor } from "./internal";
import { CodeInput } from "../../contract/inputs/mfa";

export async function verifySecondFactor(args: { ctx: ActorContext; input: CodeInput }) {
  const input = CodeInput.parse(args.input);
  const { ctx } = args;
  if (ctx.session?.stage !== "mfa") throw new DomainError("CONFLICT", "There is no sign-in waiting for a code.");
  const factor = await consumeSecondFactor(ctx, ctx.principal.userId, input.code);
  const now = ctx.clock.now();
  const { next, statements } = await rotationFor(ctx, ctx.principal.userId);
  const principal = { ...ctx.principal, stage: "full" as const };
  await atomically(ctx.db, [
    ...statements,
    ctx.db.update(users).set({ lastLoginAt: now }).where(eq(users.id, principal.userId)),
    auditStatement({ ...ctx, principal }, {
      action: factor.kind === "recovery" ? "auth.sign_in_recovery_code" : "auth.sign_in",
      orgId: principal.orgId,
      targetType: "user",
      targetId: principal.userId,
      after: { method: factor.kind === "recovery" ? "password+recovery_code" : "password+totp" },
    }),
  ]);
  return { session: next, principal };
}
