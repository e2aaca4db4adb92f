import { and, eq } from "drizzle-orm";
import { MAX_PRICE_DECIMALS, ProductInput, type Product } from "../../contract/catalogue";
import { atomically } from "../../db/atomic";
import { newId } from "../../db/ids";
import { planProducts, products, usageRecords } from "../../db/schema";
import { conflict, notFound, validationFailed } from "../../errors";
import { auditIfChanged, auditStatement } from "../audit/record";
import type { ActorContext } from "../context";
import { toProduct } from "./list-products";
import { fromStored, toStored } from "./price";

const auditView = (p: { name: string; model: string; unit: string; unitPrice: string; taxable: boolean; status: string; description: string | null }) => ({
  name: p.name, description: p.description, model: p.model, unit: p.unit, unitPrice: p.unitPrice, taxable: p.taxable, status: p.status,
});

export async function createProduct(args: { ctx: ActorContext; input: ProductInput }): Promise<Product> {
  const input = ProductInput.parse(args.input);
  const { ctx } = args;
  const now = ctx.clock.now();
  const price = toStored(input.unitPrice, MAX_PRICE_DECIMALS);
  const row = {
    id: newId("product", now), name: input.name, description: input.description, model: input.model, unit: input.unit,
    priceAmount: price.value, priceScale: price.scale, taxable: input.taxable, status: input.status, createdAt: now, updatedAt: now,
  };
  await atomically(ctx.db, [
    ctx.db.insert(products).values(row),
    auditStatement(ctx, { action: "product.created", orgId: null, targetType: "product", targetId: row.id, after: auditView({ ...input, unitPrice: fromStored(price.value, price.scale) }) }),
  ]);
  return toProduct(row);
}

/**
 * Edits a product. A price change applies to charges computed from now on (issued invoices carry their own
 * frozen unit prices). The model cannot change once usage was recorded against the product: that usage would
 * then describe a fixed fee.
 */
export async function updateProduct(args: { ctx: ActorContext; id: string; input: ProductInput }): Promise<Product> {
  const input = ProductInput.parse(args.input);
  const { ctx, id } = args;
  const before = await ctx.db.select().from(products).where(eq(products.id, id)).get();
  if (!before) throw notFound("Product");
  if (before.model !== input.model) {
    const used = await ctx.db.select({ id: usageRecords.id }).from(usageRecords).where(eq(usageRecords.productId, id)).limit(1).get();
    if (used) throw validationFailed({ model: "Usage has been recorded for this product: its model can no longer change." });
  }
  const now = ctx.clock.now();
  const price = toStored(input.unitPrice, MAX_PRICE_DECIMALS);
  const after = { name: input.name, description: input.description, model: input.model, unit: input.unit, priceAmount: price.value, priceScale: price.scale, taxable: input.taxable, status: input.status };
  const [update] = await atomically(ctx.db, [
    ctx.db.update(products).set({ ...after, updatedAt: now }).where(and(eq(products.id, id), eq(products.updatedAt, before.updatedAt))),
    auditIfChanged(ctx, {
      action: "product.updated", orgId: null, targetType: "product", targetId: id,
      before: auditView({ ...before, unitPrice: fromStored(before.priceAmount, before.priceScale) }),
      after: auditView({ ...input, unitPrice: fromStored(price.value, price.scale) }),
    }),
  ]);
  if (!update?.meta.changes) throw conflict("This product was changed by someone else. Reload and try again.");
  const planCount = (await ctx.db.select({ planId: planProducts.planId }).from(planProducts).where(eq(planProducts.productId, id))).length;
  return toProduct({ ...before, ...after, updatedAt: now }, planCount);
}
