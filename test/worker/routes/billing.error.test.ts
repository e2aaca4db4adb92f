/** Billing settings: billing.read reads, billing.write saves; currency and precision are locked once invoices exist; field errors. */
import { describe, expect, it } from "vitest";
import { expectError } from "../../helpers";
import { as, c, createInvoice, useBillingDesk } from "./billing-helpers";

const w = useBillingDesk();

describe("billing settings", () => {
  it("reads for billing.read, saves for billing.write only; currency and precision locked once invoices exist", async () => {
    await createInvoice(w.customerA.id); // guarantees at least one issued invoice
    const got = await c.request("GET", "/api/billing/settings", { cookie: as("staffRead") });
    expect(got.status).toBe(200);
    const s = (await got.json()) as { currency: string; precision: number; paymentTermsDays: number; invoicePrefix: string; locked: boolean; roundingRule: string };
    expect(s.locked).toBe(true);
    expect(s.roundingRule).toMatch(/half-up/);
    await expectError(await c.request("PUT", "/api/billing/settings", { cookie: as("staffRead"), body: s }), 403, "FORBIDDEN");
    await expectError(await c.request("GET", "/api/billing/settings", { cookie: as("customerA") }), 403, "FORBIDDEN");
    await expectError(await c.request("GET", "/api/billing/settings"), 401, "UNAUTHENTICATED");
    const body = { currency: s.currency, precision: s.precision, paymentTermsDays: s.paymentTermsDays, invoicePrefix: s.invoicePrefix };
    const locked = await expectError(await c.request("PUT", "/api/billing/settings", { cookie: as("admin"), body: { ...body, currency: s.currency === "USD" ? "GBP" : "USD" } }), 409, "CURRENCY_LOCKED");
    expect(locked.fields?.currency).toMatch(/Locked/);
    await expectError(await c.request("PUT", "/api/billing/settings", { cookie: as("admin"), body: { ...body, precision: 5 } }), 409, "CURRENCY_LOCKED");
    const bad = await expectError(await c.request("PUT", "/api/billing/settings", { cookie: as("admin"), body: { ...body, precision: 1, invoicePrefix: "inv-", currency: "XXX" } }), 400, "VALIDATION_FAILED");
    expect(Object.keys(bad.fields ?? {}).sort()).toEqual(["currency", "invoicePrefix"]);
    const low = await expectError(await c.request("PUT", "/api/billing/settings", { cookie: as("admin"), body: { ...body, precision: 1 } }), 400, "VALIDATION_FAILED");
    expect(low.fields?.precision).toMatch(/at least/);
    // Same values: saved (nothing to change).
    expect((await c.request("PUT", "/api/billing/settings", { cookie: as("billingStaff"), body })).status).toBe(200);
  });
});
