/**
 * Threat: one tenant reading or changing another tenant's data (IDOR/BOLA). Another tenant's object is
 * NOT_FOUND (its existence is not revealed); a missing privilege is FORBIDDEN.
 */
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import type { OrganizationDetail, OrganizationSummary, Page } from "../../../worker/contract/dto";
import { organizations } from "../../../worker/db/schema";
import { db } from "../../factories";
import { expectError, auditRows, callerAs, useWorld } from "../../helpers";

const world = useWorld();


describe("organizations: tenancy", () => {
  it("a customer user sees only their own organization", async () => {
    const me = await callerAs(world.customerAUser.id);
    const list = (await (await me.get("/api/organizations?pageSize=100")).json()) as Page<OrganizationSummary>;
    expect(list.items.map((o) => o.id)).toEqual([world.customerA.id]);
    expect((await me.get(`/api/organizations/${world.customerA.id}`)).status).toBe(200);
    await expectError(await me.get(`/api/organizations/${world.customerB.id}`), 404, "NOT_FOUND");
    await expectError(await me.get(`/api/organizations/${world.direct.id}`), 404, "NOT_FOUND");
    await expectError(await me.get(`/api/organizations/${world.resellerA.id}`), 404, "NOT_FOUND");
  });

  it("a reseller user sees its own organization and its customers, never another reseller's", async () => {
    const me = await callerAs(world.resellerAUser.id);
    const list = (await (await me.get("/api/organizations?pageSize=100")).json()) as Page<OrganizationSummary>;
    expect(list.items.map((o) => o.id).sort()).toEqual([world.resellerA.id, world.customerA.id].sort());
    const own = (await (await me.get(`/api/organizations/${world.resellerA.id}`)).json()) as OrganizationDetail;
    expect(own.customers.map((c) => c.id)).toEqual([world.customerA.id]);
    const customer = (await (await me.get(`/api/organizations/${world.customerA.id}`)).json()) as OrganizationDetail;
    expect(customer.subscriptions).toHaveLength(1);
    await expectError(await me.get(`/api/organizations/${world.customerB.id}`), 404, "NOT_FOUND");
    await expectError(await me.get(`/api/organizations/${world.resellerB.id}`), 404, "NOT_FOUND");
  });

  it("operator staff with organizations.read see every customer and reseller, not the operator itself", async () => {
    const me = await callerAs(world.staffRead.id);
    const res = await me.get(`/api/organizations?q=${encodeURIComponent(world.customerB.name)}`);
    const list = (await res.json()) as Page<OrganizationSummary>;
    expect(list.items.map((o) => o.id)).toEqual([world.customerB.id]);
    expect(list.items[0]!.reseller?.id).toBe(world.resellerB.id);
    await expectError(await me.get(`/api/organizations/${world.operator.id}`), 404, "NOT_FOUND");
  });

  it("search escapes LIKE wildcards, filters by type and paginates", async () => {
    const me = await callerAs(world.admin.id);
    const wildcard = (await (await me.get("/api/organizations?q=%25")).json()) as Page<OrganizationSummary>;
    expect(wildcard.items.every((o) => o.name.includes("%"))).toBe(true);
    const resellers = (await (await me.get("/api/organizations?kind=reseller&pageSize=100")).json()) as Page<OrganizationSummary>;
    expect(resellers.items.every((o) => o.kind === "reseller")).toBe(true);
    const page1 = (await (await me.get("/api/organizations?pageSize=2&page=1")).json()) as Page<OrganizationSummary>;
    const page2 = (await (await me.get("/api/organizations?pageSize=2&page=2")).json()) as Page<OrganizationSummary>;
    expect(page1.items).toHaveLength(2);
    expect(page1.total).toBeGreaterThanOrEqual(5);
    expect(page2.items.map((o) => o.id)).not.toContain(page1.items[0]!.id);
    await expectError(await me.get("/api/organizations?pageSize=1000"), 400, "VALIDATION_FAILED");
  });
});

describe("primary contact", () => {
  it("staff without organizations.write get 403; reseller and customer users get 403", async () => {
    for (const userId of [world.staffRead.id, world.resellerAUser.id, world.customerAUser.id]) {
      const me = await callerAs(userId);
      await expectError(await me.put(`/api/organizations/${world.customerA.id}/primary-contact`, { userId: world.customerAUser2.id }), 403, "FORBIDDEN");
    }
  });

  it("refuses a user of another organization, naming the field", async () => {
    const me = await callerAs(world.staffAll.id);
    const error = await expectError(
      await me.put(`/api/organizations/${world.customerA.id}/primary-contact`, { userId: world.customerBUser.id }),
      400,
      "VALIDATION_FAILED",
    );
    expect(error.fields).toEqual({ userId: "Choose a user of this organization." });
    const org = await db().select().from(organizations).where(eq(organizations.id, world.customerA.id)).get();
    expect(org!.primaryUserId).toBe(world.customerAUser.id);
  });

  it("changes the contact with one audit row written in the same batch", async () => {
    const me = await callerAs(world.staffAll.id);
    const res = await me.put(`/api/organizations/${world.customerA.id}/primary-contact`, { userId: world.customerAUser2.id });
    expect(res.status).toBe(200);
    const detail = (await res.json()) as OrganizationDetail;
    expect(detail.primaryContact?.id).toBe(world.customerAUser2.id);
    expect(detail.users.find((u) => u.isPrimaryContact)?.id).toBe(world.customerAUser2.id);
    const audits = await auditRows({ targetId: world.customerA.id });
    const change = audits.filter((a) => a.action === "organization.primary_contact.changed");
    expect(change).toHaveLength(1);
    expect(change[0]!.actorUserId).toBe(world.staffAll.id);
    expect(JSON.parse(change[0]!.diff)).toEqual({ primaryContact: { before: world.customerAUser.email, after: world.customerAUser2.email } });
    // Setting the same contact again changes nothing and writes no audit row.
    await me.put(`/api/organizations/${world.customerA.id}/primary-contact`, { userId: world.customerAUser2.id });
    const again = await auditRows({ targetId: world.customerA.id });
    expect(again.filter((a) => a.action === "organization.primary_contact.changed")).toHaveLength(1);
  });

  it("another tenant's organization id is NOT_FOUND even for the primary-contact change", async () => {
    const me = await callerAs(world.staffAll.id);
    await expectError(await me.put(`/api/organizations/${world.operator.id}/primary-contact`, { userId: world.admin.id }), 404, "NOT_FOUND");
  });
});
