import { and, asc, ne } from "drizzle-orm";
import { z } from "zod";
import { organizations } from "../../db/schema";
import { contains } from "../../db/search";
import type { ActorContext } from "../context";
import { visibleOrganizations } from "../tenancy";

export const OrganizationOptionsInput = z.object({ q: z.string().trim().max(100).optional() });

/**
 * Customer and reseller organizations to choose from in billing forms and filters (first 100 by name, narrowed
 * by `q`), for holders of billing.read who may not hold organizations.read. Only id, name and kind.
 */
export async function organizationOptions(args: { ctx: ActorContext; q?: string }) {
  const { ctx } = args;
  return ctx.db
    .select({ id: organizations.id, name: organizations.name, kind: organizations.kind })
    .from(organizations)
    .where(and(ne(organizations.kind, "operator"), visibleOrganizations(ctx), args.q ? contains(organizations.name, args.q) : undefined))
    .orderBy(asc(organizations.name), asc(organizations.id))
    .limit(100);
}
