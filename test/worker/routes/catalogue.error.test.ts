/** The catalogue refuses malformed prices, plans without products, contracts for the operator or ending before they start, bad subscriptions. */
import { describe, expect, it } from "vitest";
import { monthStart } from "../../clock";
import { expectError, callerAs, useWorld } from "../../helpers";
import { catalogue, day, NOW, product, START, subInput } from "./catalogue-helpers";

const world = useWorld();

describe("products", () => {
  it("refuses malformed prices and missing fields with field-level messages", async () => {
    const me = await callerAs(world.staffBilling.id);
    const tooPrecise = await expectError(await me.post("/api/products", product({ unitPrice: "1.0000001" })), 400, "VALIDATION_FAILED");
    expect(tooPrecise.fields?.unitPrice).toMatch(/6 decimals/);
    const negative = await expectError(await me.post("/api/products", product({ unitPrice: "-1" })), 400, "VALIDATION_FAILED");
    expect(negative.fields?.unitPrice).toMatch(/negative/);
    const nan = await expectError(await me.post("/api/products", product({ unitPrice: "1e3", name: "" })), 400, "VALIDATION_FAILED");
    expect(nan.fields?.unitPrice).toBeTruthy();
    expect(nan.fields?.name).toMatch(/required/);
    await expectError(await me.put("/api/products/prd_missing", product()), 404, "NOT_FOUND");
  });
});

describe("plans and contracts", () => {
  it("a plan needs existing products; a contract needs a customer or reseller and an end after its start", async () => {
    const me = await callerAs(world.admin.id);
    const empty = await expectError(await me.post("/api/plans", { name: "Empty", status: "active", productIds: [] }), 400, "VALIDATION_FAILED");
    expect(empty.fields?.productIds).toBeTruthy();
    const ghost = await expectError(await me.post("/api/plans", { name: "Ghost", status: "active", productIds: ["prd_nope"] }), 400, "VALIDATION_FAILED");
    expect(ghost.fields?.productIds).toBeTruthy();
    const { plan, p } = await catalogue(me, world.customerA.id);
    expect(plan.products.map((x) => x.id)).toEqual([p.id]);
    const operator = await expectError(await me.post("/api/contracts", { orgId: world.operator.id, planId: plan.id, startDate: START, status: "active" }), 400, "VALIDATION_FAILED");
    expect(operator.fields?.orgId).toBeTruthy();
    const dates = await expectError(await me.post("/api/contracts", { orgId: world.resellerA.id, planId: plan.id, startDate: day(30), expiryDate: day(0), status: "active" }), 400, "VALIDATION_FAILED");
    expect(dates.fields?.expiryDate).toMatch(/after/);
    const bad = await expectError(await me.post("/api/contracts", { orgId: world.resellerA.id, planId: plan.id, startDate: "2026-02-30", status: "active" }), 400, "VALIDATION_FAILED");
    expect(bad.fields?.startDate).toBeTruthy();
    const forReseller = await me.post("/api/contracts", { orgId: world.resellerA.id, planId: plan.id, startDate: START, status: "active" });
    expect(forReseller.status).toBe(201);
  });
});

describe("Resource Subscriptions", () => {
  it("validates trial dates, anchor against the contract, duplicate resource names", async () => {
    const me = await callerAs(world.admin.id);
    const { contract } = await catalogue(me, world.customerA.id);
    const trial = await expectError(await me.post("/api/subscriptions", subInput(contract.id, { status: "trial", trialEndsAt: null })), 400, "VALIDATION_FAILED");
    expect(trial.fields?.trialEndsAt).toBeTruthy();
    const early = await expectError(await me.post("/api/subscriptions", subInput(contract.id, { anchorDate: monthStart(-11, NOW) })), 400, "VALIDATION_FAILED");
    expect(early.fields?.anchorDate).toMatch(/contract starts/);
    const dup = await expectError(
      await me.post("/api/subscriptions", subInput(contract.id, { resources: [{ type: "volume", name: "disk", region: "eu", status: "active" }, { type: "volume", name: "Disk", region: "eu", status: "active" }] })),
      400, "VALIDATION_FAILED",
    );
    expect(dup.fields?.["resources.1.name"]).toBeTruthy();
    const badCycle = await expectError(await me.post("/api/subscriptions", subInput(contract.id, { billingInterval: "week" })), 400, "VALIDATION_FAILED");
    expect(badCycle.fields?.billingInterval).toBeTruthy();
  });
});
