/** Dunning settings and the Dunning screen are for the operator's billing staff, about customer organizations only. */
import { describe, it } from "vitest";
import { DEFAULT_DUNNING_POLICY } from "../../../worker/domain/dunning/policy";
import { dunnedCustomer } from "../../dunning-fixtures";
import { callerAs, expectError, useWorld } from "../../helpers";

const w = useWorld();

describe("Dunning Process settings", () => {
  it("is for the operator's billing staff only", async () => {
    await expectError(await (await callerAs(w.customerAUser.id)).get("/api/billing/dunning-settings"), 403, "FORBIDDEN");
    await expectError(await (await callerAs(w.staffNone.id)).put("/api/billing/dunning-settings", DEFAULT_DUNNING_POLICY), 403, "FORBIDDEN");
  });
});

describe("Dunning screen API and suspension", () => {
  it("refuses staff without the billing privilege, tenants, and unknown or operator organizations", async () => {
    const { org } = await dunnedCustomer();
    await expectError(await (await callerAs(w.customerAUser.id)).get("/api/billing/dunning"), 403, "FORBIDDEN");
    await expectError(await (await callerAs(w.staffRead.id)).post(`/api/billing/dunning/${org.id}/pause`, { until: null, reason: "x" }), 403, "FORBIDDEN");
    const admin = await callerAs(w.admin.id);
    await expectError(await admin.get(`/api/billing/dunning/org_unknown`), 404, "NOT_FOUND");
    await expectError(await admin.get(`/api/billing/dunning/${w.operator.id}`), 404, "NOT_FOUND");
    await expectError(await admin.post(`/api/billing/dunning/${org.id}/pause`, { until: null, reason: "x" }), 409, "NOT_IN_DUNNING");
  });
});
