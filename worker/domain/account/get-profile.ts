/** The signed-in user's own profile, with a pending (unconfirmed) email change if there is one. */
import { and, desc, eq, gt, isNull } from "drizzle-orm";
import { emailChanges, users } from "../../db/schema";
import { notFound } from "../../errors";
import type { ActorContext } from "../context";

export async function getProfile(args: { ctx: ActorContext }) {
  const { ctx } = args;
  const userId = ctx.principal.userId;
  const [user, pending] = await Promise.all([
    ctx.db
      .select({ firstName: users.firstName, lastName: users.lastName, email: users.email, phone: users.phone, country: users.country, city: users.city, timeZone: users.timeZone, jobTitle: users.jobTitle })
      .from(users)
      .where(eq(users.id, userId))
      .get(),
    ctx.db
      .select({ newEmail: emailChanges.newEmail, expiresAt: emailChanges.expiresAt })
      .from(emailChanges)
      .where(and(eq(emailChanges.userId, userId), isNull(emailChanges.usedAt), gt(emailChanges.expiresAt, ctx.clock.now())))
      .orderBy(desc(emailChanges.createdAt))
      .get(),
  ]);
  if (!user) throw notFound("User");
  return { ...user, pendingEmail: pending ? { email: pending.newEmail, expiresAt: new Date(pending.expiresAt).toISOString() } : null };
}
