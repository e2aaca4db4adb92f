/** Usage: only billing.write records it; tenants read their own subscription's usage, never another's. */
import { describe, expect, it } from "vitest";
import type { UsageRecord } from "../../../worker/contract/catalogue";
import { addDays, monthStart } from "../../clock";
import { callerAs, expectError } from "../../helpers";
import { json, NOW, useUsageSetup } from "./usage-helpers";

const setup = useUsageSetup();

describe("usage ingestion", () => {
  it("is operator-only with billing.write; tenants read their own subscription's usage with monthly totals", async () => {
    await expectError(await (await callerAs(setup.world.customerAUser.id)).post("/api/usage", setup.usage()), 403, "FORBIDDEN");
    await expectError(await (await callerAs(setup.world.staffRead.id)).post("/api/usage", setup.usage()), 403, "FORBIDDEN");
    const month = monthStart(-2, NOW);
    await setup.me.post("/api/usage", setup.usage({ quantity: "1.25", usageDate: month }));
    await setup.me.post("/api/usage", setup.usage({ quantity: "2.5", usageDate: addDays(month, 14) }));
    const customer = await callerAs(setup.world.customerAUser.id);
    const view = await json<{ items: UsageRecord[]; total: number; summary: Array<{ month: string; quantity: string; productName: string }> }>(await customer.get(`/api/subscriptions/${setup.subA.id}/usage`));
    expect(view.total).toBeGreaterThanOrEqual(2);
    expect(view.summary.find((s) => s.month === month.slice(0, 7))?.quantity).toBe("3.75");
    await expectError(await customer.get(`/api/subscriptions/${setup.subB.id}/usage`), 404, "NOT_FOUND");
  });
});
