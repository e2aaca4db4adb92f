/** The audit log cannot be tampered with: the database itself refuses to change or delete a row. */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { auditRows, callerAs, useWorld } from "../../helpers";

const world = useWorld();

describe("audit log", () => {
  it("is append-only: UPDATE and DELETE abort", async () => {
    const me = await callerAs(world.admin.id);
    await me.put(`/api/staff/${world.staffNone.id}/privileges`, { privileges: ["billing.read"] });
    const [row] = await auditRows({ targetId: world.staffNone.id });
    expect(row).toBeDefined();
    await expect(env.DB.prepare("UPDATE audit_log SET action = 'x' WHERE id = ?").bind(row!.id).run()).rejects.toThrow(/append-only/);
    await expect(env.DB.prepare("DELETE FROM audit_log WHERE id = ?").bind(row!.id).run()).rejects.toThrow(/append-only/);
  });
});
