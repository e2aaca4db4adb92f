import { and, asc, count, eq, or } from "drizzle-orm";
import { z } from "zod";
import { SUBSCRIPTION_STATUSES, type Subscription } from "../../contract/catalogue";
import type { Page } from "../../contract/dto";
import { PageQuerySchema } from "../../contract/schemas";
import { organizations, resourceSubscriptions } from "../../db/schema";
import { contains } from "../../db/search";
import type { ActorContext } from "../context";
import { offsetOf } from "../paging";
import { ownedByVisibleOrg } from "../tenancy";
import { subscriptionQuery, toSubscriptions } from "./get-subscription";

export const ListSubscriptionsInput = PageQuerySchema.extend({
  q: z.string().trim().max(100).optional(),
  orgId: z.string().max(64).optional(),
  status: z.enum(SUBSCRIPTION_STATUSES).optional(),
  model: z.enum(["fixed", "payg"]).optional(),
});
export type ListSubscriptionsInput = z.input<typeof ListSubscriptionsInput>;

/** Resource Subscriptions visible to the caller, by organization then name. */
export async function listSubscriptions(args: { ctx: ActorContext; input: ListSubscriptionsInput }): Promise<Page<Subscription>> {
  const input = ListSubscriptionsInput.parse(args.input);
  const { ctx } = args;
  const where = and(
    ownedByVisibleOrg(ctx, resourceSubscriptions.orgId),
    input.orgId ? eq(resourceSubscriptions.orgId, input.orgId) : undefined,
    input.status ? eq(resourceSubscriptions.status, input.status) : undefined,
    input.model ? eq(resourceSubscriptions.model, input.model) : undefined,
    input.q ? or(contains(resourceSubscriptions.name, input.q), contains(organizations.name, input.q)) : undefined,
  );
  const [rows, totals] = await Promise.all([
    subscriptionQuery(ctx).where(where).orderBy(asc(organizations.name), asc(resourceSubscriptions.name), asc(resourceSubscriptions.id)).limit(input.pageSize).offset(offsetOf(input)),
    ctx.db.select({ total: count() }).from(resourceSubscriptions).innerJoin(organizations, eq(organizations.id, resourceSubscriptions.orgId)).where(where),
  ]);
  return { items: await toSubscriptions(ctx, rows), page: input.page, pageSize: input.pageSize, total: totals[0]?.total ?? 0 };
}
