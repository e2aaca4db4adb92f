import { and, asc, eq, inArray } from "drizzle-orm";
import type { Subscription } from "../../contract/catalogue";
import { contracts, organizations, plans, resources, resourceSubscriptions } from "../../db/schema";
import { notFound } from "../../errors";
import type { ActorContext } from "../context";
import { ownedByVisibleOrg } from "../tenancy";

export function subscriptionQuery(ctx: ActorContext) {
  return ctx.db
    .select({ s: resourceSubscriptions, orgName: organizations.name, orgKind: organizations.kind, c: contracts, planName: plans.name })
    .from(resourceSubscriptions)
    .innerJoin(organizations, eq(organizations.id, resourceSubscriptions.orgId))
    .innerJoin(contracts, eq(contracts.id, resourceSubscriptions.contractId))
    .innerJoin(plans, eq(plans.id, contracts.planId));
}
type Row = Awaited<ReturnType<ReturnType<typeof subscriptionQuery>["all"]>>[number];

export async function toSubscriptions(ctx: ActorContext, rows: Row[]): Promise<Subscription[]> {
  const res = rows.length
    ? await ctx.db.select().from(resources).where(inArray(resources.subscriptionId, rows.map((r) => r.s.id))).orderBy(asc(resources.name), asc(resources.id))
    : [];
  return rows.map(({ s, orgName, orgKind, c, planName }) => ({
    id: s.id,
    org: { id: s.orgId, name: orgName, kind: orgKind },
    contract: { id: c.id, planId: c.planId, planName, startDate: c.startDate, expiryDate: c.expiryDate },
    name: s.name,
    model: s.model,
    billingInterval: s.billingInterval,
    anchorDate: s.anchorDate,
    status: s.status,
    trialEndsAt: s.trialEndsAt,
    billedThrough: s.billedThrough,
    resources: res.filter((r) => r.subscriptionId === s.id).map((r) => ({ id: r.id, type: r.type, name: r.name, region: r.region, status: r.status })),
    updatedAt: new Date(s.updatedAt).toISOString(),
  }));
}

/** One Resource Subscription within the caller's tenancy (another tenant's is NOT_FOUND). */
export async function getSubscription(args: { ctx: ActorContext; id: string }): Promise<Subscription> {
  const row = await subscriptionQuery(args.ctx).where(and(eq(resourceSubscriptions.id, args.id), ownedByVisibleOrg(args.ctx, resourceSubscriptions.orgId))).get();
  if (!row) throw notFound("Resource Subscription");
  return (await toSubscriptions(args.ctx, [row]))[0]!;
}
