/** Builds a signed-in principal from a user id (passkey sign-in, email confirmation links). */
import { and, eq } from "drizzle-orm";
import { organizations, users } from "../../db/schema";
import type { DomainContext, Principal } from "../context";
import { parsePrivileges } from "../sessions/store";

/** The principal for a user id (active users only), as a sign-in would build it. */
export async function principalFor(ctx: DomainContext, userId: string): Promise<Principal | null> {
  const u = await ctx.db
    .select({ id: users.id, email: users.email, firstName: users.firstName, lastName: users.lastName, role: users.role, privileges: users.privileges, status: users.status, orgId: organizations.id, orgKind: organizations.kind, orgName: organizations.name })
    .from(users)
    .innerJoin(organizations, eq(organizations.id, users.orgId))
    .where(and(eq(users.id, userId)))
    .get();
  if (!u || u.status !== "active") return null;
  return { userId: u.id, email: u.email, firstName: u.firstName, lastName: u.lastName, role: u.role, privileges: parsePrivileges(u.privileges), orgId: u.orgId, orgKind: u.orgKind, orgName: u.orgName, stage: "full" };
}
