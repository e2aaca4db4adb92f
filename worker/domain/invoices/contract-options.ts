import { and, asc, eq, inArray } from "drizzle-orm";
import { contracts, organizations, planProducts, plans, products } from "../../db/schema";
import { formatDecimal } from "../../contract/money";
import { notFound } from "../../errors";
import type { ActorContext } from "../context";

/** "Select Contract" and the items it offers for a manual invoice: the organization's contracts and their plan's products. */
export async function contractOptions(args: { ctx: ActorContext; orgId: string }) {
  const { ctx, orgId } = args;
  const org = await ctx.db.select({ id: organizations.id }).from(organizations).where(eq(organizations.id, orgId)).get();
  if (!org) throw notFound("Organization");
  const rows = await ctx.db.select({ id: contracts.id, planId: contracts.planId, planName: plans.name, startDate: contracts.startDate, expiryDate: contracts.expiryDate, status: contracts.status })
    .from(contracts).innerJoin(plans, eq(plans.id, contracts.planId)).where(eq(contracts.orgId, orgId)).orderBy(asc(contracts.startDate));
  const planIds = [...new Set(rows.map((r) => r.planId))].slice(0, 90);
  const items = planIds.length
    ? await ctx.db.select({ planId: planProducts.planId, id: products.id, name: products.name, unit: products.unit, amount: products.priceAmount, scale: products.priceScale, taxable: products.taxable, model: products.model })
        .from(planProducts).innerJoin(products, eq(products.id, planProducts.productId)).where(and(inArray(planProducts.planId, planIds), eq(products.status, "active"))).orderBy(asc(products.name))
    : [];
  return rows.map((r) => ({
    id: r.id, planName: r.planName, startDate: r.startDate, expiryDate: r.expiryDate, status: r.status,
    products: items.filter((i) => i.planId === r.planId).map((i) => ({ id: i.id, name: i.name, unit: i.unit, unitPrice: formatDecimal({ value: BigInt(i.amount), scale: i.scale }), taxable: i.taxable, model: i.model })),
  }));
}
