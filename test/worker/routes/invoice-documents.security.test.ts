/** Invoice documents are the operator's to write; tenants read their own Billing Details and credit notes, never another's. */
import { describe, expect, it, vi } from "vitest";
import { createSession, createUser } from "../../factories";
import { expectError } from "../../helpers";
import { as, BUYER, c, invoiceFor, SELLER, useInvoiceDocuments } from "./invoice-documents-helpers";

// The first PDF an isolate renders loads pdf-lib and fontkit (seconds on a busy machine).
vi.setConfig({ testTimeout: 30_000 });

const w = useInvoiceDocuments();

describe("Invoice Details", () => {
  it("is operator-only: billing.read reads, only billing.write saves, tenants get nothing", async () => {
    await expectError(await c.request("PUT", "/api/billing/invoice-details", { cookie: as("staffRead"), body: SELLER }), 403, "FORBIDDEN");
    expect([403, 404]).toContain((await c.request("GET", "/api/billing/invoice-details", { cookie: as("customerA") })).status);
    expect([403, 404]).toContain((await c.request("PUT", "/api/billing/invoice-details", { cookie: as("customerA"), body: SELLER })).status);
  });
});

describe("Billing Details of an organization", () => {
  it("tenancy: customers read their own, never another's; only the operator writes", async () => {
    expect((await c.request("GET", `/api/organizations/${w.customerA.id}/billing-details`, { cookie: as("customerA") })).status).toBe(200);
    await expectError(await c.request("GET", `/api/organizations/${w.customerA.id}/billing-details`, { cookie: as("customerB") }), 404, "NOT_FOUND");
    await expectError(await c.request("GET", `/api/organizations/${w.customerA.id}/billing-details`, { cookie: as("resellerB") }), 404, "NOT_FOUND");
    expect([403, 404]).toContain((await c.request("PUT", `/api/organizations/${w.customerA.id}/billing-details`, { cookie: as("customerA"), body: BUYER })).status);
    await expectError(await c.request("PUT", `/api/organizations/${w.operator.id}/billing-details`, { cookie: as("admin"), body: BUYER }), 404, "NOT_FOUND");
  });
});

describe("credit notes", () => {
  it("the credit note PDF: for the invoice's tenant, 404 to others and for invoices without one", async () => {
    const inv = await invoiceFor(w.customerA.id);
    await expectError(await c.request("GET", `/api/invoices/${inv.id}/credit-note/pdf`, { cookie: as("admin") }), 404, "NOT_FOUND");
    expect((await c.request("POST", `/api/invoices/${inv.id}/cancel`, { cookie: as("admin") })).status).toBe(200);
    const res = await c.request("GET", `/api/invoices/${inv.id}/credit-note/pdf`, { cookie: as("customerA") });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/pdf");
    expect(res.headers.get("content-disposition")).toMatch(/CN-\d{4}-\d{6}\.pdf/);
    expect(new TextDecoder().decode((await res.arrayBuffer()).slice(0, 5))).toBe("%PDF-");
    await expectError(await c.request("GET", `/api/invoices/${inv.id}/credit-note/pdf`, { cookie: as("customerB") }), 404, "NOT_FOUND");
    await expectError(await c.request("POST", `/api/invoices/${inv.id}/cancel`, { cookie: as("staffRead") }), 403, "FORBIDDEN");
  });
});

it("a user without billing.read cannot export", async () => {
  const inv = await invoiceFor(w.customerA.id);
  const nobody = await createUser({ orgId: w.operator.id, role: "staff", privileges: [] });
  await expectError(await c.request("GET", `/api/invoices/${inv.id}/pdf`, { cookie: await createSession(nobody.id) }), 403, "FORBIDDEN");
});
