/** New recovery codes (step-up required): the old ones stop working in the same batch. Shown once. */
import { eq } from "drizzle-orm";
import { atomically } from "../../db/atomic";
import { recoveryCodes } from "../../db/schema";
import { DomainError } from "../../errors";
import { auditStatement } from "../audit/record";
import type { ActorContext } from "../context";
import { activeTotp, newRecoveryCodeSet, requireFreshAuth } from "./internal";

export async function regenerateRecoveryCodes(args: { ctx: ActorContext }) {
  const { ctx } = args;
  requireFreshAuth(ctx);
  const userId = ctx.principal.userId;
  if (!(await activeTotp(ctx, userId))) throw new DomainError("PRECONDITION_FAILED", "Enable multi-factor authentication first.");
  const { codes, rows } = await newRecoveryCodeSet(ctx, userId);
  await atomically(ctx.db, [
    ctx.db.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId)),
    ctx.db.insert(recoveryCodes).values(rows),
    auditStatement(ctx, { action: "mfa.recovery_codes_regenerated", orgId: ctx.principal.orgId, targetType: "user", targetId: userId, after: { count: rows.length } }),
  ]);
  return { recoveryCodes: codes };
}
