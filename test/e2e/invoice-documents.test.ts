/**
 * Invoice documents end to end (docs/decisions/013-invoice-documents.md): the running Worker renders invoices
 * whose items are in every script we promise, and pdf.js (a real PDF text extractor, in Node) reads the text
 * back; the legal details appear on the PDF and on the invoice page (Chromium); an exempt organization's invoice
 * prints its reason; cancelling issues a credit note whose PDF references the invoice. Seeded demo data.
 */
import { describe, expect, test } from "vitest";
import type { Page } from "playwright-core";
import type { InvoiceDetail } from "../../worker/contract/billing";
import { pdfItems, pdfText } from "../pdf";
import { useBrowser, signInAs } from "./harness";

const ADMIN = { email: "admin@cumulus.example", password: "Cumulus-Admin-2026" };
const TIMEOUT = 20_000;

const SCRIPTS = {
  latin: "Łódź 株式会社 Zürich 🚀",
  greek: "Υπηρεσίες νέφους Αθήνα",
  cyrillic: "Облачные услуги Москва",
  cjk: "云服务 クラウド 클라우드",
  arabic: "خدمات سحابية شركة الأمل",
  hebrew: "שירותי ענן חברת שלום",
  long: "Dedicated bare-metal capacity reserved for the quarterly data-warehouse rebuild, including remote hands, cross-connects in both availability zones and 24×7 on-call escalation",
};
/** What must come back, word by word (right-to-left words come back in logical order, line order may differ). */
const EXPECTED = ["Łódź", "株式会社", "Zürich", "🚀", "Υπηρεσίες", "νέφους", "Αθήνα", "Облачные", "услуги", "Москва", "云服务", "クラウド", "클라우드", "خدمات", "سحابية", "الأمل", "שירותי", "ענן", "שלום"];


/** Same-origin API calls from the signed-in page (its cookie and Origin, as the portal makes them). */
async function api<T>(page: Page, method: string, path: string, body?: unknown): Promise<T> {
  const res = await page.evaluate(
    async ([m, p, b]) => {
      const r = await fetch(p as string, { method: m as string, headers: { "content-type": "application/json" }, body: b === undefined ? undefined : JSON.stringify(b) });
      return { status: r.status, text: await r.text() };
    },
    [method, path, body] as const,
  );
  if (res.status >= 300) throw new Error(`${method} ${path} → ${res.status}: ${res.text}`);
  return JSON.parse(res.text) as T;
}

async function pdf(page: Page, path: string): Promise<Uint8Array> {
  const res = await page.context().request.get(path);
  expect(res.status()).toBe(200);
  expect(res.headers()["content-type"]).toBe("application/pdf");
  return new Uint8Array(await res.body());
}

async function orgId(page: Page, name: string): Promise<string> {
  const list = await api<{ items: Array<{ id: string; name: string }> }>(page, "GET", `/api/organizations?q=${encodeURIComponent(name)}`);
  return list.items.find((o) => o.name === name)!.id;
}

function manual(org: string, descriptions: string[]) {
  const day = new Date().toISOString().slice(0, 10);
  return {
    for: "customer", orgId: org, status: "unpaid", issueDate: day, dueDate: day, periodFrom: day, periodTo: day,
    items: descriptions.map((d) => ({ description: d, quantity: "1", unitPrice: "10", taxable: true, unit: "unit" })),
  };
}

describe("invoice documents", () => {
  const b = useBrowser();

  test("every script prints and reads back; legal details on the PDF and the invoice page", async () => {
    const page = b.page;
    await signInAs(page, ADMIN);
    const inv = await api<InvoiceDetail>(page, "POST", "/api/invoices", manual(await orgId(page, "Brightwater Logistics Ltd"), Object.values(SCRIPTS)));
    const bytes = await pdf(page, `/api/invoices/${inv.id}/pdf`);
    const text = (await pdfText(bytes)).join("\n");
    for (const word of EXPECTED) expect(text, word).toContain(word);
    expect(text).not.toMatch(/\?ód\?|\?{2,}/);
    // Seller and buyer as EU VAT invoices need them.
    for (const s of [
      "Cumulus Cloud Services Limited", "2 Grand Canal Square", "D02 A342 Dublin", "Ireland", "VAT / Tax no.: IE3668997OH", "Company reg. no.: CRO 654321",
      "Brightwater Logistics Ltd", "Unit 4, Trafford Park Road", "M17 1HG Manchester", "United Kingdom", "VAT / Tax no.: GB314159265",
      inv.number!, "Supply period", "Net amount", "UK VAT 20% on ", "IBAN: IE29 AIBK 9311 5212 3456 78", "BIC: AIBKIE2D", "registered in Ireland (CRO 654321)",
    ]) {
      expect(text, s).toContain(s);
    }
    // The long description wraps inside its column: several lines, none running into the numbers.
    const items = await pdfItems(bytes);
    const longLines = items.filter((i) => /bare-metal|cross-connects|escalation/.test(i.str));
    expect(longLines.length).toBeGreaterThanOrEqual(2);
    for (const i of longLines) expect(i.x + i.width).toBeLessThan(300);
    for (const i of items) expect(i.x + i.width).toBeLessThanOrEqual(546);

    // The invoice page shows the same legal details.
    await page.goto(`/billing/invoices/${inv.id}`);
    const from = page.getByRole("region", { name: "From" });
    await from.getByText("Cumulus Cloud Services Limited").waitFor({ timeout: TIMEOUT });
    await from.getByText("IE3668997OH").waitFor();
    await from.getByText("IBAN: IE29 AIBK 9311 5212 3456 78").waitFor();
    const to = page.getByRole("region", { name: "Bill to" });
    await to.getByText("Unit 4, Trafford Park Road").waitFor();
    await to.getByText("GB314159265").waitFor();
    await page.getByText(SCRIPTS.arabic).waitFor();
    expect(b.errors).toEqual([]);
  });

  test("an exempt organization's invoice prints the reason and no tax; cancelling issues a credit note", async () => {
    const page = b.page;
    await signInAs(page, ADMIN);
    const inv = await api<InvoiceDetail>(page, "POST", "/api/invoices", manual(await orgId(page, "Helvetia Precision AG"), ["Managed Kubernetes cluster"]));
    expect(inv.taxMinor).toBe(0);
    expect(inv.taxExemptReason).toMatch(/^Reverse charge/);
    const text = (await pdfText(await pdf(page, `/api/invoices/${inv.id}/pdf`))).join("\n");
    expect(text).toContain("Tax exempt: Reverse charge");
    expect(text).toContain("CHE116281710MWST");
    expect(text).toContain("exempt");

    // Cancel Invoice through the portal: the page then offers the credit note.
    await page.goto(`/billing/invoices/${inv.id}`);
    await page.getByRole("button", { name: `More actions for ${inv.number}` }).click();
    await page.getByRole("menuitem", { name: "Cancel Invoice" }).click();
    await page.getByRole("dialog", { name: `Cancel invoice ${inv.number}?` }).getByRole("button", { name: "Cancel Invoice" }).click();
    await page.getByText(/credit note CN-\d{4}-\d{6}/).first().waitFor({ timeout: TIMEOUT });
    const after = await api<InvoiceDetail>(page, "GET", `/api/invoices/${inv.id}`);
    expect(after.creditNote?.number).toMatch(/^CN-\d{4}-\d{6}$/);
    const cn = (await pdfText(await pdf(page, `/api/invoices/${inv.id}/credit-note/pdf`))).join("\n");
    for (const s of ["CREDIT NOTE", after.creditNote!.number, "Credits invoice", inv.number!, "Helvetia Precision AG", "Total credited", "Cumulus Cloud Services Limited"]) expect(cn, s).toContain(s);
    const cancelled = (await pdfText(await pdf(page, `/api/invoices/${inv.id}/pdf`))).join("\n");
    expect(cancelled).toContain(`credit note ${after.creditNote!.number}`);
    expect(cancelled).not.toMatch(/invoice cancelled/i);
  });

  test("Billing Configurations shows the Invoice Details; an organization shows its Billing Details", async () => {
    const page = b.page;
    await signInAs(page, ADMIN);
    await page.goto("/billing/configurations");
    const section = page.getByRole("form", { name: "Invoice Details" });
    await section.waitFor({ timeout: TIMEOUT });
    expect(await section.getByLabel("Legal name").inputValue()).toBe("Cumulus Cloud Services Limited");
    expect(await section.getByLabel("VAT / Tax number").inputValue()).toBe("IE3668997OH");
    expect(await section.getByLabel("IBAN").inputValue()).toBe("IE29AIBK93115212345678");
    await page.goto(`/organizations/${await orgId(page, "Helvetia Precision AG")}`);
    const details = page.getByRole("region", { name: "Billing Details" });
    await details.getByText("CHE116281710MWST").waitFor({ timeout: TIMEOUT });
    await details.getByText(/Reverse charge/).waitFor();
    await details.getByRole("button", { name: "Edit Billing Details" }).click();
    const drawer = page.getByRole("dialog", { name: "Edit Billing Details" });
    await drawer.getByLabel("VAT / Tax number").fill("CHE-123");
    await drawer.getByRole("button", { name: "Save" }).click();
    await drawer.getByText(/not a valid CH VAT/).waitFor();
    await drawer.getByRole("button", { name: "Cancel" }).click();
    expect(b.errors).toEqual([]);
  });
});
