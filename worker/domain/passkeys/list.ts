import { desc, eq } from "drizzle-orm";
import { passkeys } from "../../db/schema";
import type { ActorContext } from "../context";

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export async function listPasskeys(args: { ctx: ActorContext }) {
  const rows = await args.ctx.db
    .select({ id: passkeys.id, name: passkeys.name, createdAt: passkeys.createdAt, lastUsedAt: passkeys.lastUsedAt, deviceType: passkeys.deviceType, backedUp: passkeys.backedUp })
    .from(passkeys)
    .where(eq(passkeys.userId, args.ctx.principal.userId))
    .orderBy(desc(passkeys.createdAt))
    .all();
  return rows.map((r) => ({ ...r, createdAt: iso(r.createdAt)!, lastUsedAt: iso(r.lastUsedAt) }));
}
