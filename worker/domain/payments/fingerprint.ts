import { and, eq, ne } from "drizzle-orm";
import { paymentMethods } from "../../db/schema";
import type { DomainContext } from "../context";

/** "Link Multiple Accounts" off: is this card (fingerprint) on file with another organization? */
export async function fingerprintInUseElsewhere(ctx: Pick<DomainContext, "db">, fingerprint: string, orgId: string): Promise<boolean> {
  if (!fingerprint) return false;
  const row = await ctx.db.select({ id: paymentMethods.id }).from(paymentMethods).where(and(eq(paymentMethods.fingerprint, fingerprint), ne(paymentMethods.status, "removed"), ne(paymentMethods.orgId, orgId))).limit(1).get();
  return !!row;
}
