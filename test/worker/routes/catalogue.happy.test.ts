/**
 * Catalogue (products, plans), contracts and Resource Subscriptions through the API: create and edit with audit
 * rows, exact prices, the billing pickers' options. Refusals: catalogue.error.test.ts; tenancy and privileges:
 * catalogue.security.test.ts.
 */
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import type { Contract, Plan, Product, Subscription } from "../../../worker/contract/catalogue";
import { resourceSubscriptions } from "../../../worker/db/schema";
import { monthStart } from "../../clock";
import { db } from "../../factories";
import { expectError, auditRows, callerAs, useWorld } from "../../helpers";
import { catalogue, day, NOW, product, START, subInput } from "./catalogue-helpers";

const world = useWorld();

describe("products", () => {
  it("creates and edits a product with an exact decimal price, one audit row each", async () => {
    const me = await callerAs(world.staffBilling.id);
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
});

describe("organization options for billing pickers", () => {
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
    const me = await callerAs(world.staffBilling.id);
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

  it("edits a subscription and its resources; once invoiced, cycle and anchor are locked (409 SCHEDULE_LOCKED)", async () => {
    const me = await callerAs(world.staffBilling.id);
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
});
