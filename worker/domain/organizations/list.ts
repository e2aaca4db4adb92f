import { and, asc, count, eq, ne } from "drizzle-orm";
import { contains } from "../../db/search";
import type { OrganizationSummary, Page } from "../../contract/dto";
import { organizations } from "../../db/schema";
import type { ActorContext } from "../context";
import { visibleOrganizations } from "../tenancy";
import { summaryQuery, toSummary } from "./internal";
import { ListOrganizationsInput } from "./schemas";

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
  const [rows, totals] = await Promise.all([
    summaryQuery(ctx)
      .where(where)
      .orderBy(asc(organizations.name), asc(organizations.id))
      .limit(input.pageSize)
      .offset((input.page - 1) * input.pageSize),
    ctx.db.select({ total: count() }).from(organizations).where(where),
  ]);
  return { items: rows.map(toSummary), page: input.page, pageSize: input.pageSize, total: totals[0]?.total ?? 0 };
}
