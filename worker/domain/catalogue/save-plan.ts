import { and, eq, inArray } from "drizzle-orm";
import { PlanInput, type Plan } from "../../contract/catalogue";
import { atomically, rawStatement, type RawStatement } from "../../db/atomic";
import { newId } from "../../db/ids";
import { planProducts, plans, products } from "../../db/schema";
import { conflict, notFound, validationFailed } from "../../errors";
import { auditIfChanged, auditStatement } from "../audit/record";
import type { ActorContext } from "../context";
import { listPlans } from "./list-plans";

async function checkProducts(ctx: ActorContext, ids: string[]): Promise<string[]> {
  const unique = [...new Set(ids)];
  const found = await ctx.db.select({ id: products.id, name: products.name }).from(products).where(inArray(products.id, unique));
  if (found.length !== unique.length) throw validationFailed({ productIds: "One of the chosen products does not exist." });
  return found.map((p) => p.name).sort();
}

export async function createPlan(args: { ctx: ActorContext; input: PlanInput }): Promise<Plan> {
  const input = PlanInput.parse(args.input);
  const { ctx } = args;
  const names = await checkProducts(ctx, input.productIds);
  const now = ctx.clock.now();
  const id = newId("plan", now);
  await atomically(ctx.db, [
    ctx.db.insert(plans).values({ id, name: input.name, description: input.description, status: input.status, createdAt: now, updatedAt: now }),
    ...[...new Set(input.productIds)].map((productId) => ctx.db.insert(planProducts).values({ planId: id, productId })),
    auditStatement(ctx, { action: "plan.created", orgId: null, targetType: "plan", targetId: id, after: { name: input.name, description: input.description, status: input.status, products: names } }),
  ]);
  return (await listPlans({ ctx, ids: [id] }))[0]!;
}

/** Edits a plan and its product list. Existing contracts keep pointing at the plan and see its new products. */
export async function updatePlan(args: { ctx: ActorContext; id: string; input: PlanInput }): Promise<Plan> {
  const input = PlanInput.parse(args.input);
  const { ctx, id } = args;
  const before = (await listPlans({ ctx, ids: [id] }))[0];
  if (!before) throw notFound("Plan");
  const names = await checkProducts(ctx, input.productIds);
  const now = ctx.clock.now();
  const row = await ctx.db.select({ updatedAt: plans.updatedAt }).from(plans).where(eq(plans.id, id)).get();
  const statements: RawStatement[] = [
    ctx.db.update(plans).set({ name: input.name, description: input.description, status: input.status, updatedAt: now }).where(and(eq(plans.id, id), eq(plans.updatedAt, row!.updatedAt))),
    auditIfChanged(ctx, {
      action: "plan.updated", orgId: null, targetType: "plan", targetId: id,
      before: { name: before.name, description: before.description, status: before.status, products: before.products.map((p) => p.name).sort() },
      after: { name: input.name, description: input.description, status: input.status, products: names },
    }),
    // Only if the update above won (the plan now carries this request's timestamp): all or nothing.
    rawStatement("DELETE FROM plan_products WHERE plan_id = ? AND EXISTS (SELECT 1 FROM plans WHERE id = ? AND updated_at = ?)", [id, id, now]),
    ...[...new Set(input.productIds)].map((productId) =>
      rawStatement("INSERT INTO plan_products (plan_id, product_id) SELECT ?, ? WHERE EXISTS (SELECT 1 FROM plans WHERE id = ? AND updated_at = ?)", [id, productId, id, now]),
    ),
  ];
  const [update] = await atomically(ctx.db, statements);
  if (!update?.meta.changes) throw conflict("This plan was changed by someone else. Reload and try again.");
  return (await listPlans({ ctx, ids: [id] }))[0]!;
}
