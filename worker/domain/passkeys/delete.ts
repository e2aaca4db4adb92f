/** Deletes one of the user's own passkeys; a sensitive action (step-up within 5 minutes). */
import { and, eq } from "drizzle-orm";
import { atomically } from "../../db/atomic";
import { passkeys } from "../../db/schema";
import { notFound } from "../../errors";
import { auditIfChanged } from "../audit/record";
import type { ActorContext } from "../context";
import { requireFreshAuth } from "../mfa/internal";

export async function deletePasskey(args: { ctx: ActorContext; input: { id: string } }) {
  const { ctx } = args;
  const own = await ctx.db.select({ name: passkeys.name }).from(passkeys).where(and(eq(passkeys.id, args.input.id), eq(passkeys.userId, ctx.principal.userId))).get();
  if (!own) throw notFound("Passkey");
  requireFreshAuth(ctx);
  const results = await atomically(ctx.db, [
    ctx.db.delete(passkeys).where(and(eq(passkeys.id, args.input.id), eq(passkeys.userId, ctx.principal.userId))),
    auditIfChanged(ctx, { action: "passkey.deleted", orgId: ctx.principal.orgId, targetType: "passkey", targetId: args.input.id, before: { name: own.name } }),
  ]);
  if (results[0]!.meta.changes === 0) throw notFound("Passkey");
}
