/** Usage ingestion is idempotent on the producer key, and a product with usage keeps its model. */
import { describe, expect, it } from "vitest";
import type { UsageRecord } from "../../../worker/contract/catalogue";
import { expectError } from "../../helpers";
import { useUsageSetup } from "./usage-helpers";

const setup = useUsageSetup();

describe("usage ingestion", () => {
  it("stores a record once per producer key; a different record under the same key is refused", async () => {
    const body = setup.usage({ quantity: "0.000001" });
    const first = await setup.me.post("/api/usage", body);
    expect(first.status).toBe(201);
    const rec = (await first.json()) as UsageRecord;
    expect(rec.quantity).toBe("0.000001");
    const replay = await setup.me.post("/api/usage", body);
    expect(replay.status).toBe(200);
    expect(((await replay.json()) as UsageRecord).id).toBe(rec.id);
    await expectError(await setup.me.post("/api/usage", { ...body, quantity: "2" }), 409, "USAGE_KEY_REUSED");
    // The product now has usage: its model is locked (that usage would otherwise describe a fixed fee).
    const locked = await expectError(await setup.me.put(`/api/products/${setup.vcpu.id}`, { name: "vCPU", model: "fixed", unit: "vCPU-hour", unitPrice: "0.0125", taxable: true, status: "active" }), 400, "VALIDATION_FAILED");
    expect(locked.fields?.model).toMatch(/Usage has been recorded/);
  });
});
