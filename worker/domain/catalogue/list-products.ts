import { asc } from "drizzle-orm";
import type { Product } from "../../contract/catalogue";
import { planProducts, products } from "../../db/schema";
import type { ActorContext } from "../context";
import { fromStored } from "./price";
import { countOf } from "../../db/count";

type ProductRow = typeof products.$inferSelect;

export function toProduct(row: ProductRow, planCount = 0): Product {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    model: row.model,
    unit: row.unit,
    unitPrice: fromStored(row.priceAmount, row.priceScale),
    taxable: row.taxable,
    status: row.status,
    planCount,
    updatedAt: new Date(row.updatedAt).toISOString(),
  };
}

/** The whole catalogue (operators only; it is small: tens to hundreds of products), by name. */
export async function listProducts(args: { ctx: ActorContext }): Promise<Product[]> {
  const rows = await args.ctx.db
    .select({ p: products, planCount: countOf(planProducts.productId, products.id) })
    .from(products)
    .orderBy(asc(products.name), asc(products.id));
  return rows.map((r) => toProduct(r.p, Number(r.planCount)));
}
