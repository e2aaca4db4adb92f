/**
 * The audit log: one append-only row per admin/staff mutation, written in the same batch as the change,
 * secrets masked; readable only with audit.read. Refusals: audit.error.test.ts; tampering: audit.security.test.ts.
 */
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import type { AuditEntry, Page, StaffMember } from "../../../worker/contract/dto";
import { users } from "../../../worker/db/schema";
import { createUser, db } from "../../factories";
import { expectError, auditRows, callerAs, useWorld } from "../../helpers";

const world = useWorld();

describe("audit log", () => {
  it("staff privilege changes are audited with actor, IP, request id and a before/after diff", async () => {
    const me = await callerAs(world.admin.id);
    const res = await me.put(`/api/staff/${world.staffRead.id}/privileges`, { privileges: ["billing.read", "audit.read", "billing.read"] });
    expect(res.status).toBe(200);
    const staff = (await res.json()) as StaffMember;
    expect(staff.privileges).toEqual(["audit.read", "billing.read"]);
    const rows = await auditRows({ targetId: world.staffRead.id });
    const change = rows.find((r) => r.action === "staff.privileges.changed")!;
    expect(change.actorUserId).toBe(world.admin.id);
    expect(change.requestId).toBe(res.headers.get("x-request-id"));
    expect(change.ip).toMatch(/^2001:db8::/);
    expect(JSON.parse(change.diff)).toEqual({
      privileges: { before: ["billing.read", "organizations.read"], after: ["audit.read", "billing.read"] },
    });
    const stored = await db().select({ privileges: users.privileges }).from(users).where(eq(users.id, world.staffRead.id)).get();
    expect(JSON.parse(stored!.privileges)).toEqual(["audit.read", "billing.read"]);
  });

  it("privileges take effect on the staff member's next request", async () => {
    const staff = await callerAs(world.staffNone.id);
    const admin = await callerAs(world.admin.id);
    await admin.put(`/api/staff/${world.staffNone.id}/privileges`, { privileges: [] });
    await expectError(await staff.get("/api/audit-log"), 403, "FORBIDDEN");
    await admin.put(`/api/staff/${world.staffNone.id}/privileges`, { privileges: ["audit.read"] });
    expect((await staff.get("/api/audit-log")).status).toBe(200);
  });

  it("lists entries newest first with filters and pagination, for holders of audit.read only", async () => {
    const admin = await callerAs(world.admin.id);
    await admin.put(`/api/staff/${world.staffAll.id}/privileges`, { privileges: ["audit.read", "organizations.read", "organizations.write", "billing.read"] });
    const res = await admin.get(`/api/audit-log?action=staff.privileges.changed&pageSize=5`);
    const page = (await res.json()) as Page<AuditEntry>;
    expect(page.items.length).toBeGreaterThan(0);
    expect(page.items.every((e) => e.action === "staff.privileges.changed")).toBe(true);
    const times = page.items.map((e) => Date.parse(e.at));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    const search = (await (await admin.get(`/api/audit-log?q=${world.staffAll.id}`)).json()) as Page<AuditEntry>;
    expect(search.items.some((e) => e.targetId === world.staffAll.id)).toBe(true);
    const future = (await (await admin.get(`/api/audit-log?from=2999-01-01`)).json()) as Page<AuditEntry>;
    expect(future.total).toBe(0);
    await expectError(await admin.get(`/api/audit-log?from=yesterday`), 400, "VALIDATION_FAILED");
    const billingOnly = await createUser({ orgId: world.operator.id, role: "staff", privileges: ["billing.read"] });
    await expectError(await (await callerAs(billingOnly.id)).get("/api/audit-log"), 403, "FORBIDDEN");
    await expectError(await (await callerAs(world.resellerAUser.id)).get("/api/audit-log"), 403, "FORBIDDEN");
  });
});

describe("audit actions", () => {
  it("lists every recorded action once, for holders of audit.read", async () => {
    const admin = await callerAs(world.admin.id);
    await admin.put(`/api/staff/${world.staffNone.id}/privileges`, { privileges: ["billing.write"] });
    const res = await admin.get("/api/audit-log/actions");
    expect(res.status).toBe(200);
    const { items } = (await res.json()) as { items: string[] };
    expect(items).toContain("staff.privileges.changed");
    expect(new Set(items).size).toBe(items.length);
    expect([...items].sort()).toEqual(items);
    await expectError(await (await callerAs(world.customerAUser.id)).get("/api/audit-log/actions"), 403, "FORBIDDEN");
  });
});
