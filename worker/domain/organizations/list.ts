import { and, asc, count, eq, ne, sql, type Placeholder, type SQL } from "drizzle-orm";
import { contains, containsPattern } from "../../db/search";
import { preparedSelect } from "../../db/prepared";
import type { OrganizationSummary, Page } from "../../contract/dto";
import { organizations } from "../../db/schema";
import type { ActorContext, Principal } from "../context";
import { offsetOf } from "../paging";
import { visibleOrganizations } from "../tenancy";
import { primary, reseller, summaryColumns, toSummary } from "./internal";
import type { ListOrganizationsInput } from "../../contract/inputs/organizations";

/**
 * The caller's principal with its identity values as placeholders: the tenancy filter is built once per shape
 * (db/prepared.ts) and bound to this caller's organization at run time.
 */
function principalTemplate(p: Principal): Principal {
  const ph = (name: string) => sql.placeholder(name) as unknown as string;
  return { ...p, orgId: ph("orgId"), userId: ph("userId"), email: ph("email"), firstName: ph("firstName"), lastName: ph("lastName"), orgName: ph("orgName") };
}

/** Customer and reseller organizations the caller sees, of `kind` and whose name contains `q` when given. */
function listWhere(ctx: ActorContext, kind: ListOrganizationsInput["kind"] | Placeholder, q: string | Placeholder | undefined): SQL | undefined {
  return and(
    ne(organizations.kind, "operator"),
    visibleOrganizations(ctx),
    kind ? eq(organizations.kind, kind) : undefined,
    q ? contains(organizations.name, q) : undefined,
  );
}

/** Everything the statement's text depends on (never a value): the principal's kind and which filters are set. */
function shapeOf(p: Principal, input: ListOrganizationsInput): string {
  return ["organizations.list", p.role, p.orgKind, p.stage ?? "", [...p.privileges].sort().join(","), input.kind ? "kind" : "", input.q ? "q" : ""].join("|");
}

/** What a summary shows (toSummary) and, on every row, how many match in all (a window count runs before LIMIT). */
function listColumns() {
  const { phone: _phone, email: _email, timeZone: _timeZone, ...shown } = summaryColumns();
  return { ...shown, total: sql<number>`count(*) over ()` };
}

/**
 * Customer and reseller organizations visible to the caller, by name, paginated. `input` is the route's
 * validated query (ListOrganizationsInput), not parsed again here.
 */
export async function listOrganizations(args: { ctx: ActorContext; input: ListOrganizationsInput }): Promise<Page<OrganizationSummary>> {
  const { ctx, input } = args;
  const p = ctx.principal;
  const values = {
    orgId: p.orgId, userId: p.userId, kind: input.kind, pattern: input.q ? containsPattern(input.q) : undefined,
    limit: input.pageSize, offset: offsetOf(input),
  };
  // One statement, its text built once per shape: the page and its total.
  const rows = await preparedSelect(ctx.db, shapeOf(p, input), listColumns(), (select) =>
    select
      .from(organizations)
      .leftJoin(reseller, eq(reseller.id, organizations.resellerId))
      .leftJoin(primary, eq(primary.id, organizations.primaryUserId))
      .where(listWhere({ ...ctx, principal: principalTemplate(p) }, input.kind && sql.placeholder("kind"), input.q && sql.placeholder("pattern")))
      .orderBy(asc(organizations.name), asc(organizations.id))
      .limit(sql.placeholder("limit"))
      .offset(sql.placeholder("offset")),
  values);
  // A page past the end has no row to carry the total: count separately (rare, built the ordinary way).
  const total = rows[0]?.total ?? (input.page > 1 ? await countPastEnd(ctx, input) : 0);
  return { items: rows.map(toSummary), page: input.page, pageSize: input.pageSize, total };
}

async function countPastEnd(ctx: ActorContext, input: ListOrganizationsInput): Promise<number> {
  const where = listWhere(ctx, input.kind, input.q);
  return (await ctx.db.select({ total: count() }).from(organizations).where(where)).at(0)?.total ?? 0;
}
