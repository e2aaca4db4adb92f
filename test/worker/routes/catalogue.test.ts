/** Catalogue (products, plans), contracts and Resource Subscriptions: happy paths, validation, tenancy, privileges. */
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import type { Contract, Plan, Product, Subscription } from "../../../worker/contract/catalogue";
import type { Page } from "../../../worker/contract/dto";
import { resourceSubscriptions } from "../../../worker/db/schema";
import { createUser, createWorld, db, type World } from "../../factories";
import { expectError, auditRows, callerAs, type Caller } from "../../helpers";
import { monthStart, testNow, today } from "../../clock";

// Contracts start ten months before the suite's "today" (test/clock.ts) and run two months past it.
const NOW = testNow();
const START = monthStart(-10, NOW);
const day = (days: number) => today(days, NOW);

let world: World;
let billingStaff: { id: string };
beforeAll(async () => {
  world = await createWorld();
  billingStaff = await createUser({ orgId: world.operator.id, role: "staff", privileges: ["billing.read", "billing.write"] });
});


const product = (over: Record<string, unknown> = {}) => ({ name: `vCPU ${crypto.randomUUID().slice(0, 6)}`, description: "Compute", model: "payg", unit: "vCPU-hour", unitPrice: "0.012500", taxable: true, status: "active", ...over });

async function catalogue(me: Caller, orgId: string) {
  const p = (await (await me.post("/api/products", product())).json()) as Product;
  const plan = (await (await me.post("/api/plans", { name: "Plan X", status: "active", productIds: [p.id] })).json()) as Plan;
  const contract = (await (await me.post("/api/contracts", { orgId, planId: plan.id, startDate: START, expiryDate: monthStart(2, NOW), status: "active" })).json()) as Contract;
  return { p, plan, contract };
}

const subInput = (contractId: string, over: Record<string, unknown> = {}) => ({
  contractId, name: `Sub ${crypto.randomUUID().slice(0, 6)}`, model: "payg", billingInterval: "month", anchorDate: monthStart(-9, NOW), status: "live", trialEndsAt: null,
  resources: [{ type: "virtual_machine", name: "vm-1", region: "eu-west-1", status: "active" }], ...over,
});

describe("products", () => {
  it("creates and edits a product with an exact decimal price, one audit row each", async () => {
    const me = await callerAs(billingStaff.id);
    const res = await me.post("/api/products", product({ unitPrice: "0.0125" }));
    expect(res.status).toBe(201);
    const p = (await res.json()) as Product;
    expect(p.unitPrice).toBe("0.0125");
    const edited = await me.put(`/api/products/${p.id}`, product({ name: p.name, unitPrice: "12.345678", taxable: false }));
    expect(edited.status).toBe(200);
    expect(((await edited.json()) as Product).unitPrice).toBe("12.345678");
    const audits = await auditRows({ targetId: p.id });
    expect(audits.map((a) => a.action).sort()).toEqual(["product.created", "product.updated"]);
    const list = (await (await me.get("/api/products")).json()) as { items: Product[] };
    expect(list.items.find((x) => x.id === p.id)?.taxable).toBe(false);
  });

  it("refuses malformed prices and missing fields with field-level messages", async () => {
    const me = await callerAs(billingStaff.id);
    const tooPrecise = await expectError(await me.post("/api/products", product({ unitPrice: "1.0000001" })), 400, "VALIDATION_FAILED");
    expect(tooPrecise.fields?.unitPrice).toMatch(/6 decimals/);
    const negative = await expectError(await me.post("/api/products", product({ unitPrice: "-1" })), 400, "VALIDATION_FAILED");
    expect(negative.fields?.unitPrice).toMatch(/negative/);
    const nan = await expectError(await me.post("/api/products", product({ unitPrice: "1e3", name: "" })), 400, "VALIDATION_FAILED");
    expect(nan.fields?.unitPrice).toBeTruthy();
    expect(nan.fields?.name).toMatch(/required/);
    await expectError(await me.put("/api/products/prd_missing", product()), 404, "NOT_FOUND");
  });

  it("needs billing.write to change and billing.read to see; tenants never see the catalogue API", async () => {
    await expectError(await (await callerAs(world.staffRead.id)).post("/api/products", product()), 403, "FORBIDDEN");
    expect((await (await callerAs(world.staffRead.id)).get("/api/products")).status).toBe(200);
    await expectError(await (await callerAs(world.staffNone.id)).get("/api/products"), 403, "FORBIDDEN");
    await expectError(await (await callerAs(world.customerAUser.id)).get("/api/plans"), 403, "FORBIDDEN");
    await expectError(await (await callerAs(world.resellerAUser.id)).post("/api/plans", { name: "x", status: "active", productIds: [] }), 403, "FORBIDDEN");
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

  it("tenants see only their own contracts; another tenant's is 404", async () => {
    const me = await callerAs(world.admin.id);
    const { contract } = await catalogue(me, world.customerA.id);
    const other = await catalogue(me, world.customerB.id);
    const customer = await callerAs(world.customerAUser.id);
    const list = (await (await customer.get("/api/contracts?pageSize=100")).json()) as Page<Contract>;
    expect(list.items.every((c) => c.org.id === world.customerA.id)).toBe(true);
    expect(list.items.map((c) => c.id)).toContain(contract.id);
    expect((await customer.get(`/api/contracts/${contract.id}`)).status).toBe(200);
    await expectError(await customer.get(`/api/contracts/${other.contract.id}`), 404, "NOT_FOUND");
    const reseller = await callerAs(world.resellerAUser.id);
    expect((await reseller.get(`/api/contracts/${contract.id}`)).status).toBe(200);
    await expectError(await (await callerAs(world.resellerBUser.id)).get(`/api/contracts/${contract.id}`), 404, "NOT_FOUND");
    await expectError(await customer.post("/api/contracts", { orgId: world.customerA.id, planId: "x", startDate: START, status: "active" }), 403, "FORBIDDEN");
  });
});

describe("organization options for billing pickers", () => {
  it("lists visible customers and resellers by name for billing.read holders, never the operator or another tenant", async () => {
    type Options = { items: Array<{ id: string; kind: string }> };
    const billingOnly = await createUser({ orgId: world.operator.id, role: "staff", privileges: ["billing.read"] });
    const staff = (await (await (await callerAs(billingOnly.id)).get(`/api/billing/organization-options?q=${encodeURIComponent(world.customerA.name)}`)).json()) as Options;
    expect(staff.items.map((o) => o.id)).toEqual([world.customerA.id]);
    const all = (await (await (await callerAs(world.admin.id)).get("/api/billing/organization-options")).json()) as Options;
    expect(all.items.some((o) => o.kind === "operator")).toBe(false);
    const reseller = (await (await (await callerAs(world.resellerAUser.id)).get("/api/billing/organization-options")).json()) as Options;
    expect(reseller.items.map((o) => o.id).sort()).toEqual([world.resellerA.id, world.customerA.id].sort());
    const customer = (await (await (await callerAs(world.customerAUser.id)).get("/api/billing/organization-options")).json()) as Options;
    expect(customer.items.map((o) => o.id)).toEqual([world.customerA.id]);
    await expectError(await (await callerAs(world.staffNone.id)).get("/api/billing/organization-options"), 403, "FORBIDDEN");
  });

  it("narrows by kind and name, always includes the chosen one, and carries the country (the searchable picker beyond 100)", async () => {
    type Options = { items: Array<{ id: string; name: string; kind: string; country: string }> };
    const admin = await callerAs(world.admin.id);
    const get = async (query: string) => ((await (await admin.get(`/api/billing/organization-options?${query}`)).json()) as Options).items;
    const resellers = await get(`kind=reseller&q=${encodeURIComponent(world.resellerA.name)}`);
    expect(resellers.map((o) => o.id)).toEqual([world.resellerA.id]);
    expect(await get(`kind=customer&q=${encodeURIComponent(world.resellerA.name)}`)).toEqual([]);
    expect((await get(`q=${encodeURIComponent(world.customerA.name)}`))[0]).toMatchObject({ id: world.customerA.id, kind: "customer", country: "GB" });
    // A search that does not match the chosen organization still lists it (first), so the picker can show it.
    const withChosen = await get(`q=${encodeURIComponent(world.customerB.name)}&include=${world.customerA.id}`);
    expect(withChosen.map((o) => o.id)).toEqual([world.customerA.id, world.customerB.id]);
    // `include` never reveals what the caller may not see, nor the operator.
    const reseller = await callerAs(world.resellerAUser.id);
    const seen = ((await (await reseller.get(`/api/billing/organization-options?q=zzz-nothing&include=${world.customerB.id}`)).json()) as Options).items;
    expect(seen).toEqual([]);
    expect(await get(`q=zzz-nothing&include=${world.operator.id}`)).toEqual([]);
    await expectError(await admin.get("/api/billing/organization-options?kind=operator"), 400, "VALIDATION_FAILED");
  });
});

describe("edits", () => {
  it("edits a plan's products and a contract's plan and dates, with audit rows; the organization cannot change", async () => {
    const me = await callerAs(billingStaff.id);
    const { plan, contract, p } = await catalogue(me, world.customerA.id);
    const other = (await (await me.post("/api/products", product({ model: "fixed", unit: "month", unitPrice: "10" }))).json()) as Product;
    const edited = await me.put(`/api/plans/${plan.id}`, { name: "Plan Y", description: "Two products", status: "active", productIds: [p.id, other.id] });
    expect(edited.status, await edited.clone().text()).toBe(200);
    expect(((await edited.json()) as Plan).products.map((x) => x.id).sort()).toEqual([p.id, other.id].sort());
    const shrunk = (await (await me.put(`/api/plans/${plan.id}`, { name: "Plan Y", status: "active", productIds: [other.id] })).json()) as Plan;
    expect(shrunk.products.map((x) => x.id)).toEqual([other.id]);
    await expectError(await me.put(`/api/plans/pln_nope`, { name: "x", status: "active", productIds: [p.id] }), 404, "NOT_FOUND");

    const c = await me.put(`/api/contracts/${contract.id}`, { orgId: world.customerA.id, planId: plan.id, startDate: START, expiryDate: day(-1), status: "expired" });
    expect(c.status, await c.clone().text()).toBe(200);
    expect(((await c.json()) as Contract)).toMatchObject({ status: "expired", expiryDate: day(-1) });
    const moved = await expectError(await me.put(`/api/contracts/${contract.id}`, { orgId: world.customerB.id, planId: plan.id, startDate: START, status: "active" }), 400, "VALIDATION_FAILED");
    expect(moved.fields?.orgId).toBeTruthy();
    const audits = await auditRows({ targetId: contract.id });
    expect(audits.map((a) => a.action).sort()).toEqual(["contract.created", "contract.updated"]);
    expect(JSON.parse(audits.find((a) => a.action === "contract.updated")!.diff)).toMatchObject({ status: { before: "active", after: "expired" } });
  });

  it("prices round-trip exactly through the API", async () => {
    const me = await callerAs(world.admin.id);
    for (const price of ["0", "0.000001", "123456789.123456", "7.10", "00012.5"]) {
      const res = await me.post("/api/products", product({ unitPrice: price }));
      expect(res.status).toBe(201);
      const expected = price.replace(/^0+(?=\d)/, "").replace(/(\.\d*?)0+$/, "$1").replace(/\.$/, "");
      expect(((await res.json()) as Product).unitPrice).toBe(expected);
    }
  });
});

describe("Resource Subscriptions", () => {
  it("creates a subscription with resources on a contract, for the contract's organization", async () => {
    const me = await callerAs(world.admin.id);
    const { contract } = await catalogue(me, world.customerA.id);
    const res = await me.post("/api/subscriptions", subInput(contract.id));
    expect(res.status).toBe(201);
    const sub = (await res.json()) as Subscription;
    expect(sub.org.id).toBe(world.customerA.id);
    expect(sub.resources).toHaveLength(1);
    expect(sub.billedThrough).toBeNull();
    const audits = await auditRows({ targetId: sub.id });
    expect(audits.map((a) => a.action)).toEqual(["subscription.created"]);
  });

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

  it("edits a subscription and its resources; once invoiced, cycle and anchor are locked (409 SCHEDULE_LOCKED)", async () => {
    const me = await callerAs(billingStaff.id);
    const { contract } = await catalogue(me, world.customerA.id);
    const sub = (await (await me.post("/api/subscriptions", subInput(contract.id))).json()) as Subscription;
    const edited = await me.put(`/api/subscriptions/${sub.id}`, subInput(contract.id, {
      name: sub.name, billingInterval: "quarter",
      resources: [{ id: sub.resources[0]!.id, type: "virtual_machine", name: "vm-1", region: "eu-west-1", status: "suspended" }, { type: "volume", name: "vol-1", region: "eu-west-1", status: "active" }],
    }));
    expect(edited.status, await edited.clone().text()).toBe(200);
    const after = (await edited.json()) as Subscription;
    expect(after.billingInterval).toBe("quarter");
    expect(after.resources.map((r) => `${r.name}:${r.status}`).sort()).toEqual(["vm-1:suspended", "vol-1:active"]);

    const billedThrough = monthStart(-5, NOW);
    await db().update(resourceSubscriptions).set({ billedThrough }).where(eq(resourceSubscriptions.id, sub.id));
    const locked = await expectError(await me.put(`/api/subscriptions/${sub.id}`, subInput(contract.id, { name: sub.name, billingInterval: "year", anchorDate: monthStart(-8, NOW) })), 409, "SCHEDULE_LOCKED");
    expect(locked.fields?.billingInterval).toContain(billedThrough);
    expect(locked.fields?.anchorDate).toBeTruthy();
    // Everything else stays editable.
    const renamed = await me.put(`/api/subscriptions/${sub.id}`, subInput(contract.id, { name: "Renamed", billingInterval: "quarter", resources: [] }));
    expect(renamed.status).toBe(200);
    expect(((await renamed.json()) as Subscription).name).toBe("Renamed");
  });

  it("customers and resellers see their own subscriptions read-only; another tenant's is 404", async () => {
    const me = await callerAs(world.admin.id);
    const mine = await catalogue(me, world.customerA.id);
    const theirs = await catalogue(me, world.customerB.id);
    const subA = (await (await me.post("/api/subscriptions", subInput(mine.contract.id))).json()) as Subscription;
    const subB = (await (await me.post("/api/subscriptions", subInput(theirs.contract.id))).json()) as Subscription;
    const customer = await callerAs(world.customerAUser.id);
    const list = (await (await customer.get("/api/subscriptions?pageSize=100")).json()) as Page<Subscription>;
    expect(list.items.length).toBeGreaterThan(0);
    expect(list.items.every((s) => s.org.id === world.customerA.id)).toBe(true);
    expect((await customer.get(`/api/subscriptions/${subA.id}`)).status).toBe(200);
    await expectError(await customer.get(`/api/subscriptions/${subB.id}`), 404, "NOT_FOUND");
    await expectError(await customer.put(`/api/subscriptions/${subA.id}`, subInput(mine.contract.id)), 403, "FORBIDDEN");
    await expectError(await (await callerAs(world.resellerBUser.id)).get(`/api/subscriptions/${subA.id}`), 404, "NOT_FOUND");
    await expectError(await (await callerAs(world.staffRead.id)).post("/api/subscriptions", subInput(mine.contract.id)), 403, "FORBIDDEN");
  });
});
