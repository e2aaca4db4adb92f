/** Usage ingestion refuses another organization's resource, fixed-fee products, products outside the plan, bad quantities and dates. */
import { describe, expect, it } from "vitest";
import { addDays } from "../../clock";
import { expectError } from "../../helpers";
import { START, useUsageSetup } from "./usage-helpers";

const setup = useUsageSetup();

describe("usage ingestion", () => {
  it("refuses another organization's resource, fixed-fee products, products outside the plan, bad quantities and dates", async () => {
    const foreign = await expectError(await setup.me.post("/api/usage", setup.usage({ resourceId: setup.subB.resources[0]!.id })), 400, "VALIDATION_FAILED");
    expect(foreign.fields?.resourceId).toBeTruthy();
    const fixed = await expectError(await setup.me.post("/api/usage", setup.usage({ productId: setup.fixed.id })), 400, "VALIDATION_FAILED");
    expect(fixed.fields?.productId).toMatch(/fixed-fee/);
    const outside = await expectError(await setup.me.post("/api/usage", setup.usage({ productId: setup.outside.id })), 400, "VALIDATION_FAILED");
    expect(outside.fields?.productId).toMatch(/plan/);
    for (const quantity of ["0", "-1", "1.0000001", "lots"]) {
      const e = await expectError(await setup.me.post("/api/usage", setup.usage({ quantity })), 400, "VALIDATION_FAILED");
      expect(e.fields?.quantity, quantity).toBeTruthy();
    }
    const early = await expectError(await setup.me.post("/api/usage", setup.usage({ usageDate: addDays(START, -1) })), 400, "VALIDATION_FAILED");
    expect(early.fields?.usageDate).toBeTruthy();
    await expectError(await setup.me.post("/api/usage", setup.usage({ subscriptionId: "sub_nope" })), 404, "NOT_FOUND");
  });
});
