import { and, asc, desc, eq } from "drizzle-orm";
import type { Contract } from "../../contract/catalogue";
import type { Page } from "../../contract/dto";
import { contracts, organizations, plans, resourceSubscriptions } from "../../db/schema";
import { notFound } from "../../errors";
import type { ActorContext } from "../context";
import { filteredPage } from "../paging";
import { ownedByVisibleOrg } from "../tenancy";
import { z } from "zod";
import { PageQuerySchema } from "../../contract/schemas";
import { countOf } from "../../db/count";

export const ListContractsInput = PageQuerySchema.extend({
  orgId: z.string().max(64).optional(),
  status: z.enum(["active", "expired", "cancelled"]).optional(),
});
export type ListContractsInput = z.input<typeof ListContractsInput>;

function contractQuery(ctx: ActorContext) {
  return ctx.db
    .select({
      c: contracts,
      orgName: organizations.name,
      orgKind: organizations.kind,
      planName: plans.name,
      subs: countOf(resourceSubscriptions.contractId, contracts.id),
    })
    .from(contracts)
    .innerJoin(organizations, eq(organizations.id, contracts.orgId))
    .innerJoin(plans, eq(plans.id, contracts.planId));
}

type Row = Awaited<ReturnType<ReturnType<typeof contractQuery>["all"]>>[number];
const toContract = (r: Row): Contract => ({
  id: r.c.id,
  org: { id: r.c.orgId, name: r.orgName, kind: r.orgKind },
  plan: { id: r.c.planId, name: r.planName },
  startDate: r.c.startDate,
  expiryDate: r.c.expiryDate,
  status: r.c.status,
  subscriptionCount: Number(r.subs),
  updatedAt: new Date(r.c.updatedAt).toISOString(),
});

/** Contracts visible to the caller (operators: all; resellers: theirs and their customers'; customers: their own). */
export async function listContracts(args: { ctx: ActorContext; input: ListContractsInput }): Promise<Page<Contract>> {
  const input = ListContractsInput.parse(args.input);
  const { ctx } = args;
  const where = and(ownedByVisibleOrg(ctx, contracts.orgId), input.orgId ? eq(contracts.orgId, input.orgId) : undefined, input.status ? eq(contracts.status, input.status) : undefined);
  return filteredPage(ctx.db, input, { table: contracts, rows: contractQuery(ctx).$dynamic(), where, order: [desc(contracts.startDate), asc(contracts.id)] }, toContract);
}

export async function getContract(args: { ctx: ActorContext; id: string }): Promise<Contract> {
  const row = await contractQuery(args.ctx).where(and(eq(contracts.id, args.id), ownedByVisibleOrg(args.ctx, contracts.orgId))).get();
  if (!row) throw notFound("Contract");
  return toContract(row);
}
