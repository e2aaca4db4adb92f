/** Requests for more time: refusals with stable codes and field messages. */
import { describe, expect, it } from "vitest";
import { EXTENSION_MAX_DAYS } from "../../../worker/contract/dunning";
import { dunnedCustomer, openedCases } from "../../dunning-fixtures";
import { createUser } from "../../factories";
import { callerAs, expectError, useWorld } from "../../helpers";

const w = useWorld();
const cases = openedCases();

async function inDunning(daysAgo: number) {
  const c = await cases.inDunning(daysAgo);
  return { ...c, customer: await callerAs(c.user.id) };
}

describe("extension request errors", () => {
  it("refuses days outside 1–max and an empty reason, field by field", async () => {
    const { customer } = await inDunning(17);
    for (const days of [0, EXTENSION_MAX_DAYS + 1, 2.5]) {
      const err = await expectError(await customer("POST", "/api/account/dunning/extension", { days, reason: "x" }), 400, "VALIDATION_FAILED");
      expect(Object.keys(err.fields ?? {})).toEqual(["days"]);
    }
    const err = await expectError(await customer("POST", "/api/account/dunning/extension", { days: 3, reason: "   " }), 400, "VALIDATION_FAILED");
    expect(Object.keys(err.fields ?? {})).toEqual(["reason"]);
  });

  it("only from Warning Notification on, never while paused, one open request per case", async () => {
    const grace = await inDunning(2);
    await expectError(await grace.customer("POST", "/api/account/dunning/extension", { days: 3, reason: "Soon" }), 409, "NOT_IN_DUNNING");
    const current = await dunnedCustomer();
    await expectError(await (await callerAs(current.user.id))("POST", "/api/account/dunning/extension", { days: 3, reason: "Soon" }), 409, "NOT_IN_DUNNING");

    const { org, customer } = await inDunning(10);
    expect((await customer("POST", "/api/account/dunning/extension", { days: 3, reason: "Soon" })).status).toBe(201);
    await expectError(await customer("POST", "/api/account/dunning/extension", { days: 4, reason: "Again" }), 409, "EXTENSION_PENDING");
    const staff = await callerAs(w.admin.id);
    expect((await staff("POST", `/api/billing/dunning/${org.id}/extension/approve`)).status).toBe(200);
    await expectError(await customer("POST", "/api/account/dunning/extension", { days: 4, reason: "More" }), 409, "EXTENSION_NOT_AVAILABLE");
  });

  it("a request is decided once: a second approve or decline is refused, as is a decline without a reason", async () => {
    const { org, customer } = await inDunning(17);
    const staff = await callerAs(w.admin.id);
    await expectError(await staff("POST", `/api/billing/dunning/${org.id}/extension/approve`), 409, "EXTENSION_DECIDED");
    expect((await customer("POST", "/api/account/dunning/extension", { days: 7, reason: "Payroll" })).status).toBe(201);
    const noReason = await expectError(await staff("POST", `/api/billing/dunning/${org.id}/extension/decline`, { reason: "" }), 400, "VALIDATION_FAILED");
    expect(Object.keys(noReason.fields ?? {})).toEqual(["reason"]);
    expect((await staff("POST", `/api/billing/dunning/${org.id}/extension/decline`, { reason: "No" })).status).toBe(200);
    await expectError(await staff("POST", `/api/billing/dunning/${org.id}/extension/approve`), 409, "EXTENSION_DECIDED");
    await expectError(await staff("POST", `/api/billing/dunning/${org.id}/extension/decline`, { reason: "No" }), 409, "EXTENSION_DECIDED");
  });

  it("the operator's own users have no case to ask about", async () => {
    const staff = await createUser({ orgId: w.operator.id, role: "staff", privileges: ["billing.read"] });
    await expectError(await (await callerAs(staff.id))("POST", "/api/account/dunning/extension", { days: 3, reason: "x" }), 409, "NOT_IN_DUNNING");
  });
});
