import { and, asc, eq, ne } from "drizzle-orm";
import { z } from "zod";
import { organizations } from "../../db/schema";
import { contains } from "../../db/search";
import type { ActorContext } from "../context";
import { visibleOrganizations } from "../tenancy";

export const OrganizationOptionsInput = z.object({
  q: z.string().trim().max(100).optional(),
  kind: z.enum(["customer", "reseller"]).optional(),
  /** An organization to include whatever `q` says (the one already chosen), so a picker can always show it. */
  include: z.string().max(64).optional(),
});
export type OrganizationOptionsInput = z.infer<typeof OrganizationOptionsInput>;

const LIMIT = 100;

/**
 * Customer and reseller organizations to choose from in billing forms and filters (first 100 by name, narrowed
 * by `q` and `kind`; the searchable picker finds any other by name), for holders of billing.read who may not hold
 * organizations.read. Only id, name, kind and country (the country decides which tax rules apply).
 */
export async function organizationOptions(args: { ctx: ActorContext; input: OrganizationOptionsInput }) {
  const { ctx } = args;
  const input = OrganizationOptionsInput.parse(args.input);
  const columns = { id: organizations.id, name: organizations.name, kind: organizations.kind, country: organizations.country };
  const scope = and(ne(organizations.kind, "operator"), visibleOrganizations(ctx), input.kind ? eq(organizations.kind, input.kind) : undefined);
  const rows = await ctx.db
    .select(columns)
    .from(organizations)
    .where(and(scope, input.q ? contains(organizations.name, input.q) : undefined))
    .orderBy(asc(organizations.name), asc(organizations.id))
    .limit(LIMIT);
  if (input.include && !rows.some((r) => r.id === input.include)) {
    const chosen = await ctx.db.select(columns).from(organizations).where(and(scope, eq(organizations.id, input.include))).get();
    if (chosen) rows.unshift(chosen);
  }
  return rows;
}
