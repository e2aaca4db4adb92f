import { and, asc, count, eq, ne } from "drizzle-orm";
import { contains } from "../../db/search";
import type { OrganizationSummary, Page } from "../../contract/dto";
import { organizations } from "../../db/schema";
import type { ActorContext } from "../context";
import { visibleOrganizations } from "../tenancy";
import { summaryWithTotalQuery, toSummary } from "./internal";
import { ListOrganizationsInput } from "../../contract/inputs/organizations";

/** Customer and reseller organizations visible to the caller, by name, paginated. */
export async function listOrganizations(args: { ctx: ActorContext; input: ListOrganizationsInput }): Promise<Page<OrganizationSummary>> {
  const input = ListOrganizationsInput.parse(args.input);
  const { ctx } = args;
  const where = and(
    ne(organizations.kind, "operator"),
    visibleOrganizations(ctx),
    input.kind ? eq(organizations.kind, input.kind) : undefined,
    input.q ? contains(organizations.name, input.q) : undefined,
  );
  // One statement: the page and, on every row, how many match in all (a window count runs before LIMIT).
  const rows = await summaryWithTotalQuery(ctx)
    .where(where)
    .orderBy(asc(organizations.name), asc(organizations.id))
    .limit(input.pageSize)
    .offset((input.page - 1) * input.pageSize);
  // A page past the end has no row to carry the total: count separately (rare).
  const total = rows[0]?.total ?? (input.page > 1 ? ((await ctx.db.select({ total: count() }).from(organizations).where(where)).at(0)?.total ?? 0) : 0);
  return { items: rows.map(toSummary), page: input.page, pageSize: input.pageSize, total };
}
