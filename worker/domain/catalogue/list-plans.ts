import { asc, eq, inArray } from "drizzle-orm";
import type { Plan } from "../../contract/catalogue";
import { contracts, planProducts, plans, products } from "../../db/schema";
import type { DomainContext } from "../context";
import { fromStored } from "./price";
import { countOf } from "../../db/count";

/** Plans with their products (operators), by name. `ids` restricts to those plans. */
export async function listPlans(args: { ctx: Pick<DomainContext, "db">; ids?: string[] }): Promise<Plan[]> {
  const { db } = args.ctx;
  const rows = await db
    .select({ p: plans, contractCount: countOf(contracts.planId, plans.id) })
    .from(plans)
    .where(args.ids ? inArray(plans.id, args.ids.length ? args.ids : [""]) : undefined)
    .orderBy(asc(plans.name), asc(plans.id));
  const members = rows.length
    ? await db
        .select({ planId: planProducts.planId, id: products.id, name: products.name, model: products.model, unit: products.unit, amount: products.priceAmount, scale: products.priceScale })
        .from(planProducts)
        .innerJoin(products, eq(products.id, planProducts.productId))
        .where(inArray(planProducts.planId, rows.map((r) => r.p.id)))
        .orderBy(asc(products.name))
    : [];
  return rows.map(({ p, contractCount }) => ({
    id: p.id,
    name: p.name,
    description: p.description,
    status: p.status,
    products: members.filter((m) => m.planId === p.id).map((m) => ({ id: m.id, name: m.name, model: m.model, unit: m.unit, unitPrice: fromStored(m.amount, m.scale) })),
    contractCount: Number(contractCount),
    updatedAt: new Date(p.updatedAt).toISOString(),
  }));
}
