/**
 * Invoice documents (docs/decisions/013-invoice-documents.md): Invoice Details (the seller), an organization's
 * Billing Details (address, VAT number per country, tax exemption), the parties and exemption frozen on each
 * invoice, credit notes on cancel, and the PDF (same bytes for the download and the email attachment). The
 * PDFs' text is read back with pdf.js in the E2E suite (test/e2e/invoice-documents.test.ts), which runs in Node.
 * Who may: invoice-documents.security.test.ts.
 */
import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { describe, expect, it, vi } from "vitest";
import type { InvoiceDetail } from "../../../worker/contract/billing";
import type { BillingDetails, InvoiceDetails } from "../../../worker/contract/invoice-details";
import { creditNotes } from "../../../worker/db/schema";
import { attachmentRenderers } from "../../../worker/domain/context";
import { assetFonts } from "../../../worker/domain/invoices/pdf/source";
import { createOrg, db } from "../../factories";
import { expectError, auditRows } from "../../helpers";
import { as, BUYER, c, invoiceFor, SELLER, useInvoiceDocuments } from "./invoice-documents-helpers";

// The first PDF an isolate renders loads pdf-lib and fontkit (transformed on demand by the test pool: seconds
// on a busy machine); later renders take milliseconds (bench/invoice-pdf.workerd.ts).
vi.setConfig({ testTimeout: 30_000 });

const w = useInvoiceDocuments();

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
});
