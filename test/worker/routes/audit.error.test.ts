/** The audit log's staff privileges: what is refused (unknown privileges, Cloud-Admin and tenant targets). */
import { describe, expect, it } from "vitest";
import { expectError, callerAs, useWorld } from "../../helpers";

const world = useWorld();

describe("audit log", () => {
  it("refuses unknown privileges and Cloud-Admin targets", async () => {
    const me = await callerAs(world.admin.id);
    const error = await expectError(await me.put(`/api/staff/${world.staffNone.id}/privileges`, { privileges: ["root"] }), 400, "VALIDATION_FAILED");
    expect(error.fields?.["privileges.0"]).toBe("Unknown privilege.");
    await expectError(await me.put(`/api/staff/${world.admin.id}/privileges`, { privileges: [] }), 404, "NOT_FOUND");
    await expectError(await me.put(`/api/staff/${world.customerAUser.id}/privileges`, { privileges: [] }), 404, "NOT_FOUND");
  });
});
