import { beforeAll, describe, expect, it } from "vitest";
import { savedCard } from "../../card-fixtures";
import { createOrg, createWorld, type World } from "../../factories";
import { callerAs, expectError, type Call } from "../../helpers";

let w: World;
let admin: Call;
beforeAll(async () => {
  w = await createWorld();
  admin = await callerAs(w.admin.id);
});

describe("Credit Card Status: bad input", () => {
  it("refuses an unknown status filter and a page out of range with field messages", async () => {
    const bad = await expectError(await admin("GET", "/api/billing/credit-card-status?status=lost"), 400, "VALIDATION_FAILED");
    expect(Object.keys(bad.fields ?? {})).toContain("status");
    await expectError(await admin("GET", "/api/billing/credit-card-status?pageSize=1000"), 400, "VALIDATION_FAILED");
    await expectError(await admin("GET", "/api/billing/credit-card-status/export.csv?profile=maybe"), 400, "VALIDATION_FAILED");
  });

  it("Unblock needs a reason, a blocked card, and a card that exists", async () => {
    const org = await createOrg();
    const blocked = await savedCard(org.id, { status: "blocked" });
    const noReason = await expectError(await admin("POST", `/api/billing/cards/${blocked.id}/unblock`, { reason: "   " }), 400, "VALIDATION_FAILED");
    expect(noReason.fields?.reason).toBe("Enter a reason.");
    const active = await savedCard(org.id, { isDefault: false });
    await expectError(await admin("POST", `/api/billing/cards/${active.id}/unblock`, { reason: "why not" }), 409, "CARD_NOT_BLOCKED");
    await expectError(await admin("POST", "/api/billing/cards/crd_DOESNOTEXIST/unblock", { reason: "x" }), 404, "NOT_FOUND");
    const removed = await savedCard(org.id, { status: "removed", isDefault: false });
    await expectError(await admin("POST", `/api/billing/cards/${removed.id}/unblock`, { reason: "x" }), 404, "NOT_FOUND");
  });
});
