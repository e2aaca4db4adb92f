/** Invoices are tenant-scoped: resellers see their customers', customers their own, everyone else gets 404 (or 403 for a write). */
import { describe, expect, it, vi } from "vitest";
import type { InvoiceSummary } from "../../../worker/contract/billing";
import { expectError } from "../../helpers";
import { as, c, createInvoice, useBillingDesk } from "./billing-helpers";

// The PDF reads below load pdf-lib and fontkit on first use (seconds on a busy machine).
vi.setConfig({ testTimeout: 30_000 });

const w = useBillingDesk();

describe("invoices", () => {
  it("is tenant-scoped: resellers see their customers', customers their own, others get 404", async () => {
    const inv = await createInvoice(w.customerA.id);
    for (const who of ["resellerA", "customerA", "staffRead"] as const) {
      expect((await c.request("GET", `/api/invoices/${inv.id}`, { cookie: as(who) })).status, who).toBe(200);
      expect((await c.request("GET", `/api/invoices/${inv.id}/pdf`, { cookie: as(who) })).status, who).toBe(200);
    }
    for (const who of ["resellerB", "customerB"] as const) {
      await expectError(await c.request("GET", `/api/invoices/${inv.id}`, { cookie: as(who) }), 404, "NOT_FOUND");
      await expectError(await c.request("GET", `/api/invoices/${inv.id}/pdf`, { cookie: as(who) }), 404, "NOT_FOUND");
      const page = (await (await c.request("GET", `/api/invoices?orgId=${w.customerA.id}`, { cookie: as(who) })).json()) as { items: InvoiceSummary[] };
      expect(page.items).toEqual([]);
    }
    await expectError(await c.request("GET", "/api/invoices", { cookie: as("staffNone") }), 403, "FORBIDDEN");
    const mine = (await (await c.request("GET", "/api/invoices?pageSize=100", { cookie: as("customerA") })).json()) as { items: InvoiceSummary[]; total: number };
    expect(mine.items.every((i) => i.org.id === w.customerA.id)).toBe(true);
    expect(mine.items.some((i) => i.id === inv.id)).toBe(true);
    for (const path of [`/api/invoices/${inv.id}/cancel`, `/api/invoices/${inv.id}/resend`]) {
      await expectError(await c.request("POST", path, { cookie: as("customerA") }), 403, "FORBIDDEN");
      await expectError(await c.request("POST", path, { cookie: as("staffRead") }), 403, "FORBIDDEN");
    }
  });
});
