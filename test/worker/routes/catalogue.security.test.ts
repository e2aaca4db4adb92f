/** The catalogue's privileges (billing.read sees, billing.write changes) and tenancy: another tenant's contract or subscription is 404. */
import { describe, expect, it } from "vitest";
import type { Contract, Subscription } from "../../../worker/contract/catalogue";
import type { Page } from "../../../worker/contract/dto";
import { createUser } from "../../factories";
import { expectError, callerAs, useWorld } from "../../helpers";
import { catalogue, product, START, subInput } from "./catalogue-helpers";

const world = useWorld();

describe("products", () => {
  it("needs billing.write to change and billing.read to see; tenants never see the catalogue API", async () => {
    await expectError(await (await callerAs(world.staffRead.id)).post("/api/products", product()), 403, "FORBIDDEN");
    expect((await (await callerAs(world.staffRead.id)).get("/api/products")).status).toBe(200);
    await expectError(await (await callerAs(world.staffNone.id)).get("/api/products"), 403, "FORBIDDEN");
    await expectError(await (await callerAs(world.customerAUser.id)).get("/api/plans"), 403, "FORBIDDEN");
    await expectError(await (await callerAs(world.resellerAUser.id)).post("/api/plans", { name: "x", status: "active", productIds: [] }), 403, "FORBIDDEN");
  });
});

describe("plans and contracts", () => {
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
});

describe("Resource Subscriptions", () => {
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
