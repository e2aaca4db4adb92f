/** The usage route tests' catalogue: a plan with a metered and a fixed-fee product, a subscription each for customers A and B. */
import { beforeAll, expect } from "vitest";
import type { Contract, Plan, Product, Subscription } from "../../../worker/contract/catalogue";
import { monthEnd, monthStart, testNow } from "../../clock";
import { createWorld, type World } from "../../factories";
import { callerAs, type Caller } from "../../helpers";

// The subscriptions start ten months before the suite's "today" (test/clock.ts).
export const NOW = testNow();
export const START = monthStart(-10, NOW);

export const json = async <T>(res: Response) => {
  expect(res.status, await res.clone().text()).toBeLessThan(300);
  return (await res.json()) as T;
};

export interface UsageSetup {
  world: World;
  /** The Cloud Admin, who records usage. */
  me: Caller;
  vcpu: Product;
  fixed: Product;
  outside: Product;
  subA: Subscription;
  subB: Subscription;
  /** A usage record for customer A's first resource; `over` replaces fields. */
  usage: (over?: Record<string, unknown>) => Record<string, unknown>;
}

/** The file's world and catalogue, created once before its tests. */
export function useUsageSetup(): UsageSetup {
  const setup = {} as UsageSetup;
  beforeAll(async () => {
    const world = await createWorld();
    const me = await callerAs(world.admin.id);
    const vcpu = await json<Product>(await me.post("/api/products", { name: "vCPU", model: "payg", unit: "vCPU-hour", unitPrice: "0.0125", taxable: true, status: "active" }));
    const fixed = await json<Product>(await me.post("/api/products", { name: "Support", model: "fixed", unit: "month", unitPrice: "99", taxable: true, status: "active" }));
    const outside = await json<Product>(await me.post("/api/products", { name: "GPU", model: "payg", unit: "GPU-hour", unitPrice: "1.2", taxable: true, status: "active" }));
    const plan = await json<Plan>(await me.post("/api/plans", { name: "PAYG", status: "active", productIds: [vcpu.id, fixed.id] }));
    const sub = async (orgId: string) => {
      const contract = await json<Contract>(await me.post("/api/contracts", { orgId, planId: plan.id, startDate: START, status: "active" }));
      return json<Subscription>(await me.post("/api/subscriptions", { contractId: contract.id, name: "Compute", model: "payg", billingInterval: "month", anchorDate: START, status: "live", resources: [{ type: "virtual_machine", name: "vm-1", region: "eu", status: "active" }] }));
    };
    const [subA, subB] = [await sub(world.customerA.id), await sub(world.customerB.id)];
    const usage = (over: Record<string, unknown> = {}) => ({
      subscriptionId: subA.id, resourceId: subA.resources[0]!.id, productId: vcpu.id, quantity: "720.5", usageDate: monthEnd(-1, NOW), idempotencyKey: `meter-${crypto.randomUUID()}`, ...over,
    });
    Object.assign(setup, { world, me, vcpu, fixed, outside, subA, subB, usage });
  });
  return setup;
}
