import { and, desc, eq, sql } from "drizzle-orm";
import type { Page } from "../../contract/dto";
import type { UsageRecord } from "../../contract/catalogue";
import { PageQuerySchema } from "../../contract/schemas";
import { products, resources, resourceSubscriptions, usageRecords } from "../../db/schema";
import { notFound } from "../../errors";
import { formatDecimal } from "../../contract/money";
import type { ActorContext } from "../context";
import { filteredPage } from "../paging";
import { ownedByVisibleOrg } from "../tenancy";
import { fromStored } from "../catalogue/price";
import { settingsRow } from "../billing/settings";

function usageQuery(ctx: ActorContext) {
  return ctx.db
    .select({ u: usageRecords, resourceName: resources.name, productName: products.name, unit: products.unit, priceAmount: products.priceAmount, priceScale: products.priceScale })
    .from(usageRecords)
    .innerJoin(products, eq(products.id, usageRecords.productId))
    .leftJoin(resources, eq(resources.id, usageRecords.resourceId));
}
type Row = Awaited<ReturnType<ReturnType<typeof usageQuery>["all"]>>[number];
const toRecord = (r: Row): UsageRecord => ({
  id: r.u.id,
  subscriptionId: r.u.subscriptionId,
  resource: r.u.resourceId ? { id: r.u.resourceId, name: r.resourceName ?? r.u.resourceId } : null,
  product: { id: r.u.productId, name: r.productName, unit: r.unit, unitPrice: fromStored(r.priceAmount, r.priceScale) },
  quantity: fromStored(r.u.quantityValue, r.u.quantityScale),
  usageDate: r.u.usageDate,
  idempotencyKey: r.u.idempotencyKey,
  createdAt: new Date(r.u.createdAt).toISOString(),
});

export async function getUsageRecord(ctx: ActorContext, id: string): Promise<UsageRecord> {
  const row = await usageQuery(ctx).where(eq(usageRecords.id, id)).get();
  if (!row) throw notFound("Usage record");
  return toRecord(row);
}

export const ListUsageInput = PageQuerySchema;

/**
 * A subscription's usage (within the caller's tenancy), newest first, with per-product monthly totals
 * (exact decimals summed at the largest scale present).
 */
export async function listUsage(args: { ctx: ActorContext; subscriptionId: string; page: number; pageSize: number }): Promise<Page<UsageRecord> & { summary: Array<{ productId: string; productName: string; unit: string; month: string; quantity: string }>; currency: string }> {
  const { ctx, subscriptionId, page, pageSize } = args;
  const sub = await ctx.db.select({ id: resourceSubscriptions.id }).from(resourceSubscriptions).where(and(eq(resourceSubscriptions.id, subscriptionId), ownedByVisibleOrg(ctx, resourceSubscriptions.orgId))).get();
  if (!sub) throw notFound("Resource Subscription");
  const where = eq(usageRecords.subscriptionId, subscriptionId);
  const [records, all, settings] = await Promise.all([
    filteredPage(ctx.db, { page, pageSize }, { table: usageRecords, rows: usageQuery(ctx).$dynamic(), where, order: [desc(usageRecords.usageDate), desc(usageRecords.id)] }, toRecord),
    ctx.db
      .select({ productId: usageRecords.productId, productName: products.name, unit: products.unit, month: sql<string>`substr(${usageRecords.usageDate}, 1, 7)`, value: usageRecords.quantityValue, scale: usageRecords.quantityScale })
      .from(usageRecords)
      .innerJoin(products, eq(products.id, usageRecords.productId))
      .where(where),
    settingsRow(ctx.db),
  ]);
  const sums = new Map<string, { productId: string; productName: string; unit: string; month: string; value: bigint; scale: number }>();
  for (const r of all) {
    const key = `${r.month}|${r.productId}`;
    const s = sums.get(key) ?? { productId: r.productId, productName: r.productName, unit: r.unit, month: r.month, value: 0n, scale: 0 };
    const scale = Math.max(s.scale, r.scale);
    s.value = s.value * 10n ** BigInt(scale - s.scale) + BigInt(r.value) * 10n ** BigInt(scale - r.scale);
    s.scale = scale;
    sums.set(key, s);
  }
  const summary = [...sums.values()]
    .sort((a, b) => (a.month === b.month ? a.productName.localeCompare(b.productName) : a.month < b.month ? 1 : -1))
    .map((s) => ({ productId: s.productId, productName: s.productName, unit: s.unit, month: s.month, quantity: formatDecimal({ value: s.value, scale: s.scale }) }));
  return { ...records, summary, currency: settings.currency };
}
