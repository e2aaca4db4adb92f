/**
 * Billing API routes: tax rules, invoices (manual, cancel, offline, resend, CSV, PDF) and runs, each with the
 * field errors and privileges of its flow. Settings: billing.error.test.ts; tenancy: billing.security.test.ts.
 */
import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import fc from "fast-check";
import { describe, expect, it, vi } from "vitest";
import type { InvoiceDetail, InvoiceSummary, TaxRule } from "../../../worker/contract/billing";
import { ledgerTransactions, organizations } from "../../../worker/db/schema";
import { deliver } from "../../billing-fixtures";
import { parseCsv } from "../../csv";
import { createOrg, createSession, createUser, db } from "../../factories";
import { expectError, auditRows } from "../../helpers";
import { yearOf } from "../../clock";
import { mailTo } from "../../mail";
import { as, c, createInvoice, day, manual, NOW, useBillingDesk } from "./billing-helpers";

// The first PDF an isolate renders loads pdf-lib and fontkit (transformed on demand by the test pool: seconds
// on a busy machine); later renders take milliseconds (bench/invoice-pdf.workerd.ts).
vi.setConfig({ testTimeout: 30_000 });

const w = useBillingDesk();

describe("tax rules", () => {
  it("creates, edits (scheduled rate), suspends and deletes with audit rows; field errors; privileges", async () => {
    const create = await c.request("POST", "/api/tax-rules", { cookie: as("admin"), body: { name: "Test VAT", country: "TV", ratePercent: "19.5", status: "active" } });
    expect(create.status, await create.clone().text()).toBe(201);
    const rule = (await create.json()) as TaxRule;
    expect(rule).toMatchObject({ name: "Test VAT", country: "TV", ratePercent: "19.5", status: "active", scheduled: null });

    const bad = await expectError(await c.request("POST", "/api/tax-rules", { cookie: as("admin"), body: { name: "", country: "gb", ratePercent: "100.00001", status: "paused" } }), 400, "VALIDATION_FAILED");
    expect(Object.keys(bad.fields ?? {}).sort()).toEqual(["country", "name", "ratePercent", "status"]);
    await expectError(await c.request("POST", "/api/tax-rules", { cookie: as("admin"), body: { name: "x", country: "TV", ratePercent: "101", status: "active" } }), 400, "VALIDATION_FAILED");
    await expectError(await c.request("POST", "/api/tax-rules", { cookie: as("staffRead"), body: { name: "x", country: "TV", ratePercent: "1", status: "active" } }), 403, "FORBIDDEN");
    await expectError(await c.request("GET", "/api/tax-rules", { cookie: as("customerA") }), 403, "FORBIDDEN");
    await expectError(await c.request("GET", "/api/tax-rules", { cookie: as("staffNone") }), 403, "FORBIDDEN");

    const edit = await c.request("PUT", `/api/tax-rules/${rule.id}`, { cookie: as("admin"), body: { name: "Test VAT", country: "TV", ratePercent: "21", status: "active", effectiveFrom: day(40) } });
    expect(edit.status, await edit.clone().text()).toBe(200);
    const edited = (await edit.json()) as TaxRule;
    expect(edited.ratePercent).toBe("19.5");
    expect(edited.scheduled).toEqual({ ratePercent: "21", effectiveFrom: day(40) });
    await expectError(await c.request("PUT", `/api/tax-rules/${rule.id}`, { cookie: as("admin"), body: { name: "Test VAT", country: "TV", ratePercent: "21", status: "active", effectiveFrom: day(-1) } }), 400, "VALIDATION_FAILED");

    const suspend = await c.request("PUT", `/api/tax-rules/${rule.id}`, { cookie: as("billingStaff"), body: { name: "Test VAT", country: "TV", ratePercent: "19.5", status: "suspended" } });
    expect(((await suspend.json()) as TaxRule).status).toBe("suspended");
    const list = (await (await c.request("GET", "/api/tax-rules", { cookie: as("staffRead") })).json()) as { items: TaxRule[] };
    expect(list.items.find((r) => r.id === rule.id)?.status).toBe("suspended");

    expect((await c.request("DELETE", `/api/tax-rules/${rule.id}`, { cookie: as("admin") })).status).toBe(204);
    await expectError(await c.request("DELETE", `/api/tax-rules/${rule.id}`, { cookie: as("admin") }), 404, "NOT_FOUND");
    const after = (await (await c.request("GET", "/api/tax-rules", { cookie: as("admin") })).json()) as { items: TaxRule[] };
    expect(after.items.some((r) => r.id === rule.id)).toBe(false);
    const audits = await auditRows({ targetId: rule.id });
    expect(audits.map((a) => a.action).sort()).toEqual(["tax_rule.created", "tax_rule.deleted", "tax_rule.updated", "tax_rule.updated"]);
  });

  it("applies a country's active rules to a manual invoice, each as its own tax line", async () => {
    const org = await createOrg({ kind: "customer", country: "NR" });
    for (const [name, rate] of [["Federal", "5"], ["Provincial", "9.975"]] as const) {
      expect((await c.request("POST", "/api/tax-rules", { cookie: as("admin"), body: { name, country: "NR", ratePercent: rate, status: "active" } })).status).toBe(201);
    }
    const inv = await createInvoice(org.id);
    // taxable 361.50: 5 % = 18.075 → 18.08; 9.975 % = 36.059625 → 36.06; untaxed 5.00
    expect(inv.taxes.map((t) => [t.ruleName, t.ratePercent, t.taxMinor])).toEqual([["Federal", "5", 1808], ["Provincial", "9.975", 3606]]);
    expect([inv.subtotalMinor, inv.taxMinor, inv.totalMinor]).toEqual([36650, 5414, 42064]);
    expect(inv.taxRatePercent).toBe("14.975");
  });
});

describe("invoices", () => {
  it("creates a manual invoice with field-level errors; only billing.write may", async () => {
    const inv = await createInvoice(w.customerA.id);
    expect(inv.number).toMatch(new RegExp(`^[A-Z0-9]+-${yearOf(NOW)}-\\d{6}$`));
    expect(inv.status).toBe("unpaid");
    expect(inv.lines.map((l) => [l.description, l.quantity, l.unitPrice, l.netMinor])).toEqual([["Migration services", "3", "120.5", 36150], ["Carbon offset", "1", "5", 500]]);
    const [audit] = await auditRows({ targetId: inv.id, action: "invoice.created" });
    expect(audit?.actorUserId).toBe(w.admin.id);

    const bad = await expectError(await c.request("POST", "/api/invoices", { cookie: as("admin"), body: manual(w.customerA.id, { dueDate: day(-1), items: [{ description: "", quantity: "0", unitPrice: "-1" }] }) }), 400, "VALIDATION_FAILED");
    expect(Object.keys(bad.fields ?? {}).sort()).toEqual(["dueDate", "items.0.description", "items.0.quantity", "items.0.unitPrice"]);
    const wrongKind = await expectError(await c.request("POST", "/api/invoices", { cookie: as("admin"), body: manual(w.resellerA.id) }), 400, "VALIDATION_FAILED");
    expect(wrongKind.fields?.orgId).toMatch(/customer/);
    await expectError(await c.request("POST", "/api/invoices", { cookie: as("staffRead"), body: manual(w.customerA.id) }), 403, "FORBIDDEN");
    await expectError(await c.request("POST", "/api/invoices", { cookie: as("customerA"), body: manual(w.customerA.id) }), 403, "FORBIDDEN");
    await expectError(await c.request("POST", "/api/invoices", { body: manual(w.customerA.id) }), 401, "UNAUTHENTICATED");
  });

  it("a Paid manual invoice records an offline payment in the ledger", async () => {
    const inv = await createInvoice(w.direct.id, { status: "paid" });
    expect(inv.status).toBe("paid");
    expect(inv.amountPaidMinor).toBe(inv.totalMinor);
    expect(inv.payments.map((p) => [p.kind, p.amountMinor])).toEqual([["offline_payment", inv.totalMinor]]);
  });

  it("filters by organization, status and date range, paginated", async () => {
    const org = await createOrg({ kind: "customer", resellerId: w.resellerA.id });
    await createInvoice(org.id, { issueDate: day(-52), dueDate: day(-38) });
    await createInvoice(org.id, { issueDate: day(-21), dueDate: day(-7), status: "paid" });
    const recent = await createInvoice(org.id, { issueDate: day(-2), dueDate: day(12) });
    const get = async (q: string) => (await (await c.request("GET", `/api/invoices?orgId=${org.id}${q}`, { cookie: as("admin") })).json()) as { items: InvoiceSummary[]; total: number };
    expect((await get("")).total).toBe(3);
    expect((await get("&status=paid")).items.map((i) => i.issueDate)).toEqual([day(-21)]);
    expect((await get(`&from=${day(-21)}&to=${day(-3)}`)).items.map((i) => i.issueDate)).toEqual([day(-21)]);
    const p2 = await get("&pageSize=2&page=2");
    expect([p2.items.length, p2.total, p2.items[0]?.issueDate]).toEqual([1, 3, day(-52)]);
    await expectError(await c.request("GET", "/api/invoices?from=01/11/2026", { cookie: as("admin") }), 400, "VALIDATION_FAILED");
    // Search by invoice number: any part of it, case-insensitive; a number of another tenant finds nothing.
    expect((await get(`&q=${recent.number!.slice(-6)}`)).items.map((i) => i.id)).toEqual([recent.id]);
    expect((await get(`&q=${recent.number!.toLowerCase()}`)).items.map((i) => i.id)).toEqual([recent.id]);
    const foreign = (await (await c.request("GET", `/api/invoices?q=${recent.number}`, { cookie: as("customerB") })).json()) as { items: InvoiceSummary[] };
    expect(foreign.items).toEqual([]);
    await expectError(await c.request("GET", `/api/invoices?q=${"x".repeat(41)}`, { cookie: as("admin") }), 400, "VALIDATION_FAILED");
  });

  it("cancels an unpaid invoice with a ledger reversal; refuses twice", async () => {
    const inv = await createInvoice(w.customerA.id);
    const res = await c.request("POST", `/api/invoices/${inv.id}/cancel`, { cookie: as("billingStaff") });
    expect(res.status).toBe(200);
    const done = (await res.json()) as InvoiceDetail;
    expect([done.status, done.number]).toEqual(["cancelled", inv.number]);
    const txns = await db().select().from(ledgerTransactions).where(eq(ledgerTransactions.invoiceId, inv.id));
    expect(txns.map((t) => [t.kind, t.amountMinor]).sort()).toEqual([["invoice_cancelled", inv.totalMinor], ["invoice_issued", inv.totalMinor]]);
    await expectError(await c.request("POST", `/api/invoices/${inv.id}/cancel`, { cookie: as("admin") }), 409, "INVOICE_NOT_UNPAID");
    await expectError(await c.request("POST", `/api/invoices/${inv.id}/offline-payment`, { cookie: as("admin"), body: { markAsPaid: true, reference: "x" } }), 409, "INVOICE_NOT_UNPAID");
    await expectError(await c.request("POST", `/api/invoices/inv_nope/cancel`, { cookie: as("admin") }), 404, "NOT_FOUND");
  });

  it("Adjust Offline records an offline_payment and marks the invoice paid; concurrent attempts pay once", async () => {
    const inv = await createInvoice(w.customerA.id);
    const bad = await expectError(await c.request("POST", `/api/invoices/${inv.id}/offline-payment`, { cookie: as("admin"), body: { markAsPaid: false, reference: "" } }), 400, "VALIDATION_FAILED");
    expect(Object.keys(bad.fields ?? {}).sort()).toEqual(["markAsPaid", "reference"]);
    const results = await Promise.all(Array.from({ length: 4 }, () =>
      c.request("POST", `/api/invoices/${inv.id}/offline-payment`, { cookie: as("admin"), body: { markAsPaid: true, reference: "CHQ-000123", description: "Cheque received" } })));
    expect(results.map((r) => r.status).sort()).toEqual([200, 409, 409, 409]);
    const paid = (await (await c.request("GET", `/api/invoices/${inv.id}`, { cookie: as("admin") })).json()) as InvoiceDetail;
    expect(paid.status).toBe("paid");
    expect(paid.payments).toEqual([expect.objectContaining({ kind: "offline_payment", amountMinor: inv.totalMinor, reference: "CHQ-000123", description: "Cheque received" })]);
  });

  it("Resend Invoice emails the primary contact with the PDF attached; refuses without a primary contact", async () => {
    const inv = await createInvoice(w.customerA.id);
    const res = await c.request("POST", `/api/invoices/${inv.id}/resend`, { cookie: as("admin") });
    expect(res.status, await res.clone().text()).toBe(202);
    expect(((await res.json()) as { sentTo: string }).sentTo).toBe(w.customerAUser.email);
    const row = await env.DB.prepare("SELECT id, idempotency_key AS k, attachments FROM email_outbox WHERE event = 'invoice.resent' AND data LIKE ?").bind(`%${inv.number}%`).first<{ id: string; k: string; attachments: string }>();
    expect(JSON.parse(row!.attachments)).toEqual([{ kind: "invoice_pdf", ref: inv.id }]);
    await deliver([{ type: "email.send", outboxId: row!.id, idempotencyKey: row!.k }]);
    const mail = (await mailTo(w.customerAUser.email)).filter((m) => m.raw.includes(`${inv.number}.pdf`));
    expect(mail.length).toBeGreaterThanOrEqual(1);
    expect(mail.some((m) => /application\/pdf/.test(m.raw))).toBe(true);

    const lonely = await createOrg({ kind: "customer" });
    const inv2 = await createInvoice(lonely.id);
    await expectError(await c.request("POST", `/api/invoices/${inv2.id}/resend`, { cookie: as("admin") }), 409, "NO_PRIMARY_CONTACT");
    expect((await db().select().from(organizations).where(eq(organizations.id, lonely.id)).get())?.primaryUserId).toBeNull();
  });

  it("Export Invoice answers a complete PDF document with the invoice number as its file name", async () => {
    const inv = await createInvoice(w.customerA.id);
    const res = await c.request("GET", `/api/invoices/${inv.id}/pdf`, { cookie: as("customerA") });
    expect(res.headers.get("content-type")).toBe("application/pdf");
    expect(res.headers.get("content-disposition")).toContain(`${inv.number}.pdf`);
    // Its text is read back with pdf.js in test/e2e/invoice-documents.test.ts (pdf.js runs in Node, not workerd).
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect(new TextDecoder().decode(bytes.slice(0, 5))).toBe("%PDF-");
    expect(new TextDecoder().decode(bytes.slice(-6))).toMatch(/%%EOF/);
  });

  it("Export CSV round-trips through a strict RFC 4180 parser, formula-injection safe", async () => {
    const reseller = await createOrg({ kind: "reseller" });
    const risky = fc.oneof(
      fc.constantFrom("=SUM(A1:A2)", "+1", "-2+3", "@cmd", "\tTAB", "\rCR", 'Quote "Co", Ltd', "Line\nBreak", "Ünïcødé €"),
      fc.string({ minLength: 1, maxLength: 30 }).filter((s) => s.trim().length > 0 && !s.includes("\u0000")),
    );
    await fc.assert(
      fc.asyncProperty(risky, async (name) => {
        const org = await createOrg({ kind: "customer", resellerId: reseller.id, name });
        const inv = await createInvoice(org.id);
        const res = await c.request("GET", `/api/invoices/export.csv?orgId=${org.id}`, { cookie: as("admin") });
        expect(res.headers.get("content-type")).toMatch(/^text\/csv/);
        const text = (await res.text()).replace(/^\uFEFF/, "");
        const rows = parseCsv(text);
        expect(rows[0]![0]).toBe("Invoice Number");
        expect(rows).toHaveLength(2);
        const row = rows[1]!;
        const expected = /^[=+\-@\t\r]/.test(name) ? `'${name}` : name;
        expect(row[0]).toBe(inv.number);
        expect(row[1]).toBe(expected);
        expect(row.slice(3, 5)).toEqual(["Unpaid", day(0)]);
        expect(row[11]).toBe("366.50");
        for (const cell of row) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
      }),
      { numRuns: 12 },
    );
    // The reseller's user sees exactly its customers' invoices in the export too.
    const resellerUser = await createUser({ orgId: reseller.id, role: "reseller" });
    const exported = parseCsv((await (await c.request("GET", "/api/invoices/export.csv", { cookie: await createSession(resellerUser.id) })).text()).replace(/^\uFEFF/, ""));
    expect(exported.length - 1).toBeGreaterThanOrEqual(12);
    const allOrgs = (await db().select({ name: organizations.name }).from(organizations).where(eq(organizations.resellerId, reseller.id))).map((o) => (/^[=+\-@\t\r]/.test(o.name) ? `'${o.name}` : o.name));
    for (const r of exported.slice(1)) expect(allOrgs).toContain(r[1]);
  });

  it("contract options list the organization's contracts and plan products for billing.write only", async () => {
    const res = await c.request("GET", `/api/invoices/contract-options?orgId=${w.customerA.id}`, { cookie: as("admin") });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { items: unknown[] }).items.length).toBeGreaterThanOrEqual(1);
    await expectError(await c.request("GET", `/api/invoices/contract-options?orgId=${w.customerA.id}`, { cookie: as("customerA") }), 403, "FORBIDDEN");
  });
});

describe("billing runs", () => {
  it("Run billing now: billing.write starts a run and billing.read sees its progress", async () => {
    const res = await c.request("POST", "/api/billing/runs", { cookie: as("admin"), body: { asOf: "2020-01-01" } });
    expect(res.status, await res.clone().text()).toBe(202);
    const run = (await res.json()) as { id: string; status: string; trigger: string };
    expect([run.status, run.trigger]).toEqual(["running", "manual"]);
    const list = (await (await c.request("GET", "/api/billing/runs", { cookie: as("staffRead") })).json()) as { items: Array<{ id: string }> };
    expect(list.items.some((r) => r.id === run.id)).toBe(true);
    expect((await c.request("GET", `/api/billing/runs/${run.id}`, { cookie: as("staffRead") })).status).toBe(200);
    await expectError(await c.request("POST", "/api/billing/runs", { cookie: as("staffRead"), body: {} }), 403, "FORBIDDEN");
    await expectError(await c.request("GET", "/api/billing/runs", { cookie: as("resellerA") }), 403, "FORBIDDEN");
  });
});
