/** Renames one of the user's own passkeys (another user's id answers NOT_FOUND). */
import { and, eq, ne } from "drizzle-orm";
import { atomically } from "../../db/atomic";
import { passkeys } from "../../db/schema";
import { notFound } from "../../errors";
import { auditIfChanged } from "../audit/record";
import type { ActorContext } from "../context";
import { RenamePasskeyInput } from "../../contract/inputs/passkeys";

export async function renamePasskey(args: { ctx: ActorContext; input: { id: string; name: string } }) {
  const { name } = RenamePasskeyInput.parse({ name: args.input.name });
  const { ctx } = args;
  const own = await ctx.db.select({ name: passkeys.name }).from(passkeys).where(and(eq(passkeys.id, args.input.id), eq(passkeys.userId, ctx.principal.userId))).get();
  if (!own) throw notFound("Passkey");
  await atomically(ctx.db, [
    ctx.db.update(passkeys).set({ name }).where(and(eq(passkeys.id, args.input.id), eq(passkeys.userId, ctx.principal.userId), ne(passkeys.name, name))),
    auditIfChanged(ctx, { action: "passkey.renamed", orgId: ctx.principal.orgId, targetType: "passkey", targetId: args.input.id, before: { name: own.name }, after: { name } }),
  ]);
  return { id: args.input.id, name };
}
