import { and, asc, count, eq } from "drizzle-orm";
import type { OrganizationDetail } from "../../contract/dto";
import { contracts, organizations, plans, resources, resourceSubscriptions, users } from "../../db/schema";
import type { ActorContext } from "../context";
import { visibleOrganizations } from "../tenancy";
import { getOrganizationRowInScope, toSummary } from "./internal";
import { personColumns } from "../person-columns";

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** The organization's users, by name. */
function membersOf(ctx: ActorContext, id: string) {
  return ctx.db
    .select({ ...personColumns, phone: users.phone, jobTitle: users.jobTitle })
    .from(users)
    .where(eq(users.orgId, id))
    .orderBy(asc(users.lastName), asc(users.firstName));
}

/** The organization's Resource Subscriptions with their plan and resource count. */
function subscriptionsOf(ctx: ActorContext, id: string) {
  return ctx.db
    .select({
      id: resourceSubscriptions.id,
      name: resourceSubscriptions.name,
      planName: plans.name,
      model: resourceSubscriptions.model,
      billingInterval: resourceSubscriptions.billingInterval,
      status: resourceSubscriptions.status,
      anchorDate: resourceSubscriptions.anchorDate,
      trialEndsAt: resourceSubscriptions.trialEndsAt,
      resourceCount: count(resources.id),
    })
    .from(resourceSubscriptions)
    .innerJoin(contracts, eq(contracts.id, resourceSubscriptions.contractId))
    .innerJoin(plans, eq(plans.id, contracts.planId))
    .leftJoin(resources, eq(resources.subscriptionId, resourceSubscriptions.id))
    .where(eq(resourceSubscriptions.orgId, id))
    .groupBy(resourceSubscriptions.id)
    .orderBy(asc(resourceSubscriptions.name));
}

/** One organization with its users, customers (for a reseller) and Resource Subscriptions; NOT_FOUND outside the caller's tenancy. */
export async function getOrganization(args: { ctx: ActorContext; id: string }): Promise<OrganizationDetail> {
  const { ctx, id } = args;
  const row = await getOrganizationRowInScope(ctx, id);
  const [members, customers, subs] = await Promise.all([
    membersOf(ctx, id),
    ctx.db
      .select({ id: organizations.id, name: organizations.name, kind: organizations.kind })
      .from(organizations)
      .where(and(eq(organizations.resellerId, id), visibleOrganizations(ctx)))
      .orderBy(asc(organizations.name)),
    subscriptionsOf(ctx, id),
  ]);
  return {
    ...toSummary(row),
    phone: row.phone,
    email: row.email,
    timeZone: row.timeZone,
    users: members.map((u) => ({
      id: u.id,
      email: u.email,
      firstName: u.firstName,
      lastName: u.lastName,
      phone: u.phone,
      jobTitle: u.jobTitle,
      role: u.role,
      status: u.status,
      isPrimaryContact: u.id === row.primaryId,
      lastLoginAt: iso(u.lastLoginAt),
    })),
    customers,
    subscriptions: subs.map((s) => ({ ...s, resourceCount: Number(s.resourceCount) })),
  };
}

