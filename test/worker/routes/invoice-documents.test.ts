/**
 * Invoice documents (docs/decisions/013-invoice-documents.md): Invoice Details (the seller), an organization's
 * Billing Details (address, VAT number per country, tax exemption), the parties and exemption frozen on each
 * invoice, credit notes on cancel, and the PDF (same bytes for the download and the email attachment). The
 * PDFs' text is read back with pdf.js in the E2E suite (test/e2e/invoice-documents.test.ts), which runs in Node.
 */
import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it, vi } from "vitest";
import type { InvoiceDetail } from "../../../worker/contract/billing";
import type { BillingDetails, InvoiceDetails } from "../../../worker/contract/invoice-details";
import { ibanValid, taxIdProblem } from "../../../worker/contract/invoice-details";
import { creditNotes } from "../../../worker/db/schema";
import { attachmentRenderers } from "../../../worker/domain/context";
import { assetFonts } from "../../../worker/domain/invoices/pdf/source";
import { createOrg, createSession, createUser, createWorld, db, type World } from "../../factories";
import { expectError, testClient, auditRows } from "../../helpers";

// The first PDF an isolate renders loads pdf-lib and fontkit (transformed on demand by the test pool: seconds
// on a busy machine); later renders take milliseconds (bench/invoice-pdf.workerd.ts).
vi.setConfig({ testTimeout: 30_000 });

let w: World;
const c = testClient({ now: Date.UTC(2026, 10, 22, 12) });
const cookies: Record<string, string> = {};
const as = (who: string) => cookies[who]!;

const SELLER = {
  legalName: "Cumulus Cloud Services Limited", addressLine1: "2 Grand Canal Square", addressLine2: "Docklands", postalCode: "D02 A342", city: "Dublin", country: "IE",
  taxId: "IE 6388047V", registrationNumber: "IE 654321", bankName: "AIB", iban: "IE29 AIBK 9311 5212 3456 78", bic: "AIBKIE2D", footer: "Registered in Ireland No. 654321.",
};
const BUYER = { addressLine1: "1 Canada Square", postalCode: "E14 5AB", city: "London", country: "GB", taxId: "GB 123 4567 89" };

const manual = (orgId: string) => ({
  for: "customer", orgId, status: "unpaid", issueDate: "2026-11-22", dueDate: "2026-12-06", periodFrom: "2026-11-01", periodTo: "2026-11-30",
  items: [{ description: "Managed Kubernetes", quantity: "2", unitPrice: "100", taxable: true, unit: "month" }],
});

async function invoiceFor(orgId: string): Promise<InvoiceDetail> {
  const res = await c.request("POST", "/api/invoices", { cookie: as("admin"), body: manual(orgId) });
  expect(res.status, await res.clone().text()).toBe(201);
  return (await res.json()) as InvoiceDetail;
}

beforeAll(async () => {
  w = await createWorld();
  for (const [k, u] of Object.entries({ admin: w.admin, staffRead: w.staffRead, staffAll: w.staffAll, customerA: w.customerAUser, customerB: w.customerBUser, resellerB: w.resellerBUser })) {
    cookies[k] = await createSession(u.id);
  }
  expect((await c.request("PUT", "/api/billing/invoice-details", { cookie: as("admin"), body: SELLER })).status).toBe(200);
  // A 20 % rule for the buyers' country, so exemption has something to take away.
  expect((await c.request("POST", "/api/tax-rules", { cookie: as("admin"), body: { name: "UK VAT", country: "GB", ratePercent: "20", status: "active" } })).status).toBe(201);
});

describe("format checks", () => {
  it("checks VAT numbers per country and IBAN check digits", () => {
    expect(taxIdProblem("IE", "IE6388047V")).toBeNull();
    expect(taxIdProblem("DE", "DE123456789")).toBeNull();
    expect(taxIdProblem("GR", "EL123456789")).toBeNull();
    expect(taxIdProblem("DE", "DE12345678")).toMatch(/DE VAT/);
    expect(taxIdProblem("FR", "DE123456789")).toMatch(/FR VAT/);
    expect(taxIdProblem("ZZ", "A1")).toMatch(/4 to 20/);
    expect(ibanValid("IE29 AIBK 9311 5212 3456 78")).toBe(true);
    expect(ibanValid("IE29 AIBK 9311 5212 3456 79")).toBe(false);
  });
});

describe("Invoice Details", () => {
  it("saves the seller with an audit row and normalised numbers; shows field errors", async () => {
    const saved = (await (await c.request("GET", "/api/billing/invoice-details", { cookie: as("staffRead") })).json()) as InvoiceDetails;
    expect(saved).toMatchObject({ configured: true, legalName: SELLER.legalName, taxId: "IE6388047V", iban: "IE29AIBK93115212345678", bic: "AIBKIE2D" });
    const audit = await auditRows({ action: "billing.invoice_details.updated" });
    expect(audit.length).toBeGreaterThanOrEqual(1);
    const bad = await expectError(
      await c.request("PUT", "/api/billing/invoice-details", { cookie: as("admin"), body: { ...SELLER, legalName: " ", taxId: "IE123", iban: "IE29AIBK93115212345679", bic: "AIB", country: "ireland" } }),
      400, "VALIDATION_FAILED",
    );
    expect(Object.keys(bad.fields ?? {}).sort()).toEqual(["bic", "country", "iban", "legalName"]);
    const vat = await expectError(await c.request("PUT", "/api/billing/invoice-details", { cookie: as("admin"), body: { ...SELLER, taxId: "IE123" } }), 400, "VALIDATION_FAILED");
    expect(vat.fields?.taxId).toMatch(/IE VAT/);
  });

  it("is operator-only: billing.read reads, only billing.write saves, tenants get nothing", async () => {
    await expectError(await c.request("PUT", "/api/billing/invoice-details", { cookie: as("staffRead"), body: SELLER }), 403, "FORBIDDEN");
    expect([403, 404]).toContain((await c.request("GET", "/api/billing/invoice-details", { cookie: as("customerA") })).status);
    expect([403, 404]).toContain((await c.request("PUT", "/api/billing/invoice-details", { cookie: as("customerA"), body: SELLER })).status);
  });
});

describe("Billing Details of an organization", () => {
  it("saves address and VAT number (format per country), suggests reverse charge across EU borders", async () => {
    const org = await createOrg({ kind: "customer", country: "DE" });
    const bad = await expectError(await c.request("PUT", `/api/organizations/${org.id}/billing-details`, { cookie: as("admin"), body: { ...BUYER, country: "DE", taxId: "GB123456789" } }), 400, "VALIDATION_FAILED");
    expect(bad.fields?.taxId).toMatch(/DE VAT/);
    const noReason = await expectError(await c.request("PUT", `/api/organizations/${org.id}/billing-details`, { cookie: as("admin"), body: { ...BUYER, country: "DE", taxId: null, taxExempt: true } }), 400, "VALIDATION_FAILED");
    expect(Object.keys(noReason.fields ?? {})).toEqual(["taxExemptReason"]);
    const res = await c.request("PUT", `/api/organizations/${org.id}/billing-details`, { cookie: as("admin"), body: { ...BUYER, addressLine1: "Friedrichstraße 68", postalCode: "10117", city: "Berlin", country: "DE", taxId: "DE 123 456 789" } });
    expect(res.status, await res.clone().text()).toBe(200);
    expect((await res.json()) as BillingDetails).toMatchObject({ taxId: "DE123456789", city: "Berlin", taxExemptReason: null, reverseChargeSuggested: true });
  });

  it("tenancy: customers read their own, never another's; only the operator writes", async () => {
    expect((await c.request("GET", `/api/organizations/${w.customerA.id}/billing-details`, { cookie: as("customerA") })).status).toBe(200);
    await expectError(await c.request("GET", `/api/organizations/${w.customerA.id}/billing-details`, { cookie: as("customerB") }), 404, "NOT_FOUND");
    await expectError(await c.request("GET", `/api/organizations/${w.customerA.id}/billing-details`, { cookie: as("resellerB") }), 404, "NOT_FOUND");
    expect([403, 404]).toContain((await c.request("PUT", `/api/organizations/${w.customerA.id}/billing-details`, { cookie: as("customerA"), body: BUYER })).status);
    await expectError(await c.request("PUT", `/api/organizations/${w.operator.id}/billing-details`, { cookie: as("admin"), body: BUYER }), 404, "NOT_FOUND");
  });
});

describe("frozen parties and tax exemption", () => {
  it("an invoice keeps the seller, buyer and exemption it was issued with", async () => {
    const org = await createOrg({ kind: "customer", country: "GB", name: "Brightwater Logistics Ltd" });
    expect((await c.request("PUT", `/api/organizations/${org.id}/billing-details`, { cookie: as("admin"), body: BUYER })).status).toBe(200);
    const first = await invoiceFor(org.id);
    expect(first.seller).toMatchObject({ name: SELLER.legalName, line1: SELLER.addressLine1, city: "Dublin", country: "IE", taxId: "IE6388047V", registrationNumber: "IE 654321", iban: "IE29AIBK93115212345678" });
    expect(first.buyer).toMatchObject({ name: "Brightwater Logistics Ltd", line1: "1 Canada Square", postalCode: "E14 5AB", city: "London", country: "GB", taxId: "GB123456789" });
    expect(first.taxMinor).toBe(4000);
    expect(first.taxExemptReason).toBeNull();

    // Exempt from now on: the next invoice has no tax and prints the reason; the first one is unchanged.
    const reason = "Outside the scope of UK VAT: services supplied from Ireland to a UK business";
    const res = await c.request("PUT", `/api/organizations/${org.id}/billing-details`, { cookie: as("admin"), body: { ...BUYER, addressLine1: "25 Churchill Place", taxExempt: true, taxExemptReason: reason } });
    expect(res.status, await res.clone().text()).toBe(200);
    const exempt = await invoiceFor(org.id);
    expect(exempt).toMatchObject({ subtotalMinor: 20000, taxMinor: 0, totalMinor: 20000, taxes: [], taxExemptReason: reason });
    expect(exempt.buyer?.line1).toBe("25 Churchill Place");
    const again = (await (await c.request("GET", `/api/invoices/${first.id}`, { cookie: as("admin") })).json()) as InvoiceDetail;
    expect(again.buyer?.line1).toBe("1 Canada Square");
    expect(again.taxExemptReason).toBeNull();
    // The database refuses to rewrite an issued invoice's parties or exemption.
    await expect(env.DB.prepare("UPDATE invoices SET buyer = '{}' WHERE id = ?").bind(first.id).run()).rejects.toThrow(/immutable/);
    await expect(env.DB.prepare("UPDATE invoices SET tax_exempt_reason = NULL WHERE id = ?").bind(exempt.id).run()).rejects.toThrow(/immutable/);
  });
});

describe("credit notes", () => {
  it("cancelling issues a credit note in its own gapless series; the payment history stays clean", async () => {
    const invs = await Promise.all([invoiceFor(w.customerA.id), invoiceFor(w.customerA.id), invoiceFor(w.customerA.id)]);
    const cancelled = await Promise.all(invs.map((inv) => c.request("POST", `/api/invoices/${inv.id}/cancel`, { cookie: as("admin") })));
    expect(cancelled.map((r) => r.status)).toEqual([200, 200, 200]);
    const details = (await Promise.all(cancelled.map((r) => r.json()))) as InvoiceDetail[];
    for (const [i, d] of details.entries()) {
      expect(d.status).toBe("cancelled");
      expect(d.payments).toEqual([]);
      expect(d.creditNote).toMatchObject({ totalMinor: invs[i]!.totalMinor, reason: `Cancellation of invoice ${invs[i]!.number}` });
      expect(d.creditNote!.number).toMatch(/^CN-\d{4}-\d{6}$/);
    }
    const numbers = (await db().select({ n: creditNotes.number }).from(creditNotes).all()).map((r) => Number(r.n.slice(-6))).sort((a, b) => a - b);
    expect(numbers).toEqual(numbers.map((_, i) => i + 1));
    // Cancelling twice issues nothing more.
    await expectError(await c.request("POST", `/api/invoices/${invs[0]!.id}/cancel`, { cookie: as("admin") }), 409, "INVOICE_NOT_UNPAID");
    expect((await db().select().from(creditNotes).where(eq(creditNotes.invoiceId, invs[0]!.id)).all()).length).toBe(1);
    await expect(env.DB.prepare("UPDATE credit_notes SET total_minor = 0 WHERE invoice_id = ?").bind(invs[0]!.id).run()).rejects.toThrow(/immutable/);
    await expect(env.DB.prepare("DELETE FROM credit_notes WHERE invoice_id = ?").bind(invs[0]!.id).run()).rejects.toThrow(/immutable/);
  });

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

describe("the PDF", () => {
  it("Export Invoice and the email attachment are the same bytes; a re-render is identical", async () => {
    const inv = await invoiceFor(w.customerA.id);
    const res = await c.request("GET", `/api/invoices/${inv.id}/pdf`, { cookie: as("customerA") });
    expect(res.status).toBe(200);
    const exported = new Uint8Array(await res.arrayBuffer());
    const again = new Uint8Array(await (await c.request("GET", `/api/invoices/${inv.id}/pdf`, { cookie: as("admin") })).arrayBuffer());
    const { env: bindings } = await import("cloudflare:test");
    const config = { RP_NAME: (bindings as unknown as Env).RP_NAME } as never;
    const attachment = await attachmentRenderers["invoice_pdf"]!({ db: db(), clock: { now: () => Date.now() }, config, fonts: assetFonts(env.ASSETS) }, inv.id);
    const decoded = Uint8Array.from(atob(attachment.content), (ch) => ch.charCodeAt(0));
    expect(exported.length).toBeGreaterThan(1000);
    expect(decoded).toEqual(exported);
    expect(again).toEqual(exported);
    expect(attachment.filename).toBe(`${inv.number}.pdf`);
  });

  it("fails loudly, not with a broken file, when the fonts are missing from the static assets", async () => {
    const inv = await invoiceFor(w.customerA.id);
    const missing = { fetch: async () => new Response("<!doctype html>", { headers: { "content-type": "text/html" } }) } as unknown as Fetcher;
    const { renderInvoicePdf } = await import("../../../worker/domain/invoices/pdf");
    // The manifest is cached per isolate; a missing slice is what a broken deployment would show.
    await expect(assetFonts(missing)("noto-sans-latin-400-normal.ttf")).rejects.toThrow(/missing from the static assets/);
    await expect(renderInvoicePdf({ db: db() }, inv, "Cumulus")).rejects.toThrow(/fonts are not available/);
  });
});

it("a user without billing.read cannot export", async () => {
  const inv = await invoiceFor(w.customerA.id);
  const nobody = await createUser({ orgId: w.operator.id, role: "staff", privileges: [] });
  await expectError(await c.request("GET", `/api/invoices/${inv.id}/pdf`, { cookie: await createSession(nobody.id) }), 403, "FORBIDDEN");
});
