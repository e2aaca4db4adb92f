/** Usage ingestion: idempotent on the producer key, refuses foreign resources and fixed-fee products; per-subscription view. */
import { beforeAll, describe, expect, it } from "vitest";
import type { Contract, Plan, Product, Subscription, UsageRecord } from "../../../worker/contract/catalogue";
import { createWorld, type World } from "../../factories";
import { expectError, callerAs, type Caller } from "../../helpers";
import { addDays, monthEnd, monthStart, testNow } from "../../clock";

// The subscriptions start ten months before the suite's "today" (test/clock.ts).
const NOW = testNow();
const START = monthStart(-10, NOW);

let world: World;
let me: Caller;
let setup: { vcpu: Product; fixed: Product; outside: Product; subA: Subscription; subB: Subscription };

const json = async <T>(res: Response) => {
  expect(res.status, await res.clone().text()).toBeLessThan(300);
  return (await res.json()) as T;
};

beforeAll(async () => {
  world = await createWorld();
  me = await callerAs(world.admin.id);
  const vcpu = await json<Product>(await me.post("/api/products", { name: "vCPU", model: "payg", unit: "vCPU-hour", unitPrice: "0.0125", taxable: true, status: "active" }));
  const fixed = await json<Product>(await me.post("/api/products", { name: "Support", model: "fixed", unit: "month", unitPrice: "99", taxable: true, status: "active" }));
  const outside = await json<Product>(await me.post("/api/products", { name: "GPU", model: "payg", unit: "GPU-hour", unitPrice: "1.2", taxable: true, status: "active" }));
  const plan = await json<Plan>(await me.post("/api/plans", { name: "PAYG", status: "active", productIds: [vcpu.id, fixed.id] }));
  const sub = async (orgId: string) => {
    const contract = await json<Contract>(await me.post("/api/contracts", { orgId, planId: plan.id, startDate: START, status: "active" }));
    return json<Subscription>(await me.post("/api/subscriptions", { contractId: contract.id, name: "Compute", model: "payg", billingInterval: "month", anchorDate: START, status: "live", resources: [{ type: "virtual_machine", name: "vm-1", region: "eu", status: "active" }] }));
  };
  setup = { vcpu, fixed, outside, subA: await sub(world.customerA.id), subB: await sub(world.customerB.id) };
});

const usage = (over: Record<string, unknown> = {}) => ({
  subscriptionId: setup.subA.id, resourceId: setup.subA.resources[0]!.id, productId: setup.vcpu.id, quantity: "720.5", usageDate: monthEnd(-1, NOW), idempotencyKey: `meter-${crypto.randomUUID()}`, ...over,
});

describe("usage ingestion", () => {
  it("stores a record once per producer key; a different record under the same key is refused", async () => {
    const body = usage({ quantity: "0.000001" });
    const first = await me.post("/api/usage", body);
    expect(first.status).toBe(201);
    const rec = (await first.json()) as UsageRecord;
    expect(rec.quantity).toBe("0.000001");
    const replay = await me.post("/api/usage", body);
    expect(replay.status).toBe(200);
    expect(((await replay.json()) as UsageRecord).id).toBe(rec.id);
    await expectError(await me.post("/api/usage", { ...body, quantity: "2" }), 409, "USAGE_KEY_REUSED");
    // The product now has usage: its model is locked (that usage would otherwise describe a fixed fee).
    const locked = await expectError(await me.put(`/api/products/${setup.vcpu.id}`, { name: "vCPU", model: "fixed", unit: "vCPU-hour", unitPrice: "0.0125", taxable: true, status: "active" }), 400, "VALIDATION_FAILED");
    expect(locked.fields?.model).toMatch(/Usage has been recorded/);
  });

  it("refuses another organization's resource, fixed-fee products, products outside the plan, bad quantities and dates", async () => {
    const foreign = await expectError(await me.post("/api/usage", usage({ resourceId: setup.subB.resources[0]!.id })), 400, "VALIDATION_FAILED");
    expect(foreign.fields?.resourceId).toBeTruthy();
    const fixed = await expectError(await me.post("/api/usage", usage({ productId: setup.fixed.id })), 400, "VALIDATION_FAILED");
    expect(fixed.fields?.productId).toMatch(/fixed-fee/);
    const outside = await expectError(await me.post("/api/usage", usage({ productId: setup.outside.id })), 400, "VALIDATION_FAILED");
    expect(outside.fields?.productId).toMatch(/plan/);
    for (const quantity of ["0", "-1", "1.0000001", "lots"]) {
      const e = await expectError(await me.post("/api/usage", usage({ quantity })), 400, "VALIDATION_FAILED");
      expect(e.fields?.quantity, quantity).toBeTruthy();
    }
    const early = await expectError(await me.post("/api/usage", usage({ usageDate: addDays(START, -1) })), 400, "VALIDATION_FAILED");
    expect(early.fields?.usageDate).toBeTruthy();
    await expectError(await me.post("/api/usage", usage({ subscriptionId: "sub_nope" })), 404, "NOT_FOUND");
  });

  it("is operator-only with billing.write; tenants read their own subscription's usage with monthly totals", async () => {
    await expectError(await (await callerAs(world.customerAUser.id)).post("/api/usage", usage()), 403, "FORBIDDEN");
    await expectError(await (await callerAs(world.staffRead.id)).post("/api/usage", usage()), 403, "FORBIDDEN");
    const month = monthStart(-2, NOW);
    await me.post("/api/usage", usage({ quantity: "1.25", usageDate: month }));
    await me.post("/api/usage", usage({ quantity: "2.5", usageDate: addDays(month, 14) }));
    const customer = await callerAs(world.customerAUser.id);
    const view = await json<{ items: UsageRecord[]; total: number; summary: Array<{ month: string; quantity: string; productName: string }> }>(await customer.get(`/api/subscriptions/${setup.subA.id}/usage`));
    expect(view.total).toBeGreaterThanOrEqual(2);
    expect(view.summary.find((s) => s.month === month.slice(0, 7))?.quantity).toBe("3.75");
    await expectError(await customer.get(`/api/subscriptions/${setup.subB.id}/usage`), 404, "NOT_FOUND");
  });
});
