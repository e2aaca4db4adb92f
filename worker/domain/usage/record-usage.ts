import { and, eq } from "drizzle-orm";
import { MAX_QUANTITY_DECIMALS, UsageInput, type UsageRecord } from "../../contract/catalogue";
import { newId } from "../../db/ids";
import { contracts, planProducts, products, resources, resourceSubscriptions, usageRecords } from "../../db/schema";
import { DomainError, notFound, validationFailed } from "../../errors";
import type { ActorContext } from "../context";
import { fromStored, toStored } from "../catalogue/price";
import { getUsageRecord } from "./list-usage";

/**
 * Records pay-as-you-go consumption reported by a producer (metering, the cloud platform), idempotent on the
 * producer's key: the same record sent again is answered with the stored one (`created: false`); the same
 * key with different content is refused (USAGE_KEY_REUSED) rather than silently ignored.
 *
 * Refused: an unknown subscription (NOT_FOUND); a resource of another subscription or organization, a
 * fixed-fee product, a product outside the subscription's plan, a usage date before the anchor or on a
 * cancelled/terminated subscription (VALIDATION_FAILED with the field). No audit row: this is machine data,
 * kept itself as an append-only record with its producer key.
 */
export async function recordUsage(args: { ctx: ActorContext; input: UsageInput }): Promise<{ record: UsageRecord; created: boolean }> {
  const input = UsageInput.parse(args.input);
  const { ctx } = args;
  const sub = await ctx.db
    .select({ id: resourceSubscriptions.id, orgId: resourceSubscriptions.orgId, status: resourceSubscriptions.status, anchorDate: resourceSubscriptions.anchorDate, planId: contracts.planId })
    .from(resourceSubscriptions)
    .innerJoin(contracts, eq(contracts.id, resourceSubscriptions.contractId))
    .where(eq(resourceSubscriptions.id, input.subscriptionId))
    .get();
  if (!sub) throw notFound("Resource Subscription");
  const quantity = toStored(input.quantity, MAX_QUANTITY_DECIMALS);

  const existing = await ctx.db.select().from(usageRecords).where(eq(usageRecords.idempotencyKey, input.idempotencyKey)).get();
  if (existing) {
    const same =
      existing.subscriptionId === sub.id && existing.resourceId === input.resourceId && existing.productId === input.productId &&
      existing.usageDate === input.usageDate && fromStored(existing.quantityValue, existing.quantityScale) === fromStored(quantity.value, quantity.scale);
    if (!same) throw new DomainError("USAGE_KEY_REUSED", "This idempotency key was already used for a different usage record.");
    return { record: await getUsageRecord(ctx, existing.id), created: false };
  }

  if (input.resourceId) {
    const res = await ctx.db.select({ id: resources.id }).from(resources).where(and(eq(resources.id, input.resourceId), eq(resources.subscriptionId, sub.id), eq(resources.orgId, sub.orgId))).get();
    if (!res) throw validationFailed({ resourceId: "This resource is not attached to the subscription." });
  }
  const product = await ctx.db.select({ id: products.id, model: products.model }).from(products).where(eq(products.id, input.productId)).get();
  if (!product) throw validationFailed({ productId: "Unknown product." });
  if (product.model !== "payg") throw validationFailed({ productId: "This is a fixed-fee product: usage is recorded for pay-as-you-go products only." });
  const inPlan = await ctx.db.select({ p: planProducts.productId }).from(planProducts).where(and(eq(planProducts.planId, sub.planId), eq(planProducts.productId, product.id))).get();
  if (!inPlan) throw validationFailed({ productId: "This product is not part of the subscription's plan." });
  if (sub.status === "cancelled" || sub.status === "terminated") throw validationFailed({ subscriptionId: `The subscription is ${sub.status}.` });
  if (input.usageDate < sub.anchorDate) throw validationFailed({ usageDate: `Usage cannot be dated before the subscription's anchor date (${sub.anchorDate}).` });

  const now = ctx.clock.now();
  const id = newId("usage", now);
  const [result] = await ctx.db.$client.batch([
    ctx.db.$client
      .prepare(
        `INSERT INTO usage_records (id, org_id, subscription_id, resource_id, product_id, quantity_value, quantity_scale, usage_date, idempotency_key, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (idempotency_key) DO NOTHING`,
      )
      .bind(id, sub.orgId, sub.id, input.resourceId, product.id, quantity.value, quantity.scale, input.usageDate, input.idempotencyKey, now),
  ]);
  if (!result?.meta.changes) {
    // Lost a race with the same key: answer like a replay.
    return recordUsage(args);
  }
  return { record: await getUsageRecord(ctx, id), created: true };
}
