/**
 * Billing in Chromium, following the manual (billing.txt) step by step as the Cloud-Admin: Currency Settings,
 * tax rules (create, edit, suspend, delete), Run billing now, a manual invoice, Export CSV and Export Invoice,
 * Cancel Invoice, Adjust Offline, Resend Invoice, and the currency lock. Labels and roles only.
 */
import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import type { Page } from "playwright-core";
import { pdfText } from "../pdf";
import { filterInvoices } from "./admin-page";
import { day, go, monthEnd, monthStart, pickOrg, useBrowser, mainNav, signInAs } from "./harness";

const ADMIN = { email: "admin@cumulus.example", password: "Cumulus-Admin-2026" };
const CUSTOMER = { email: "emily.nguyen@kestrel-analytics.example", password: "Cumulus-Customer-2026" };
const TIMEOUT = 20_000;
const EXPECTED = /Failed to load resource: the server responded with a status of (401|409)/;
const unexpected = (errors: string[]) => errors.filter((e) => !EXPECTED.test(e));


async function openMore(page: Page, number: string) {
  await page.getByRole("button", { name: `More actions for ${number}` }).click();
}

describe("billing, as the manual describes it", () => {
  const b = useBrowser();

  test("currency settings, tax rules, billing run, manual invoice, exports, cancel, offline payment, resend, lock", async () => {
    const page = b.page;
    await signInAs(page, ADMIN);

    // Billing & Reports » Customer Billing » Billing Configurations: Currency Settings. The seeded demo has issued
    // invoices, so currency and precision are locked (with the reason); the other settings save.
    await mainNav(page).getByRole("link", { name: "Billing Configurations" }).click();
    await page.getByRole("heading", { name: "Currency Settings" }).waitFor({ timeout: TIMEOUT });
    await page.getByText(/Locked: invoices have already been issued/).waitFor({ timeout: TIMEOUT });
    expect(await page.getByLabel("Currency", { exact: true }).isDisabled()).toBe(true);
    await page.getByLabel("Payment terms (days)").fill("14");
    await page.getByRole("button", { name: "Save", exact: true }).click();
    await page.getByText("Currency Settings saved.").waitFor({ timeout: TIMEOUT });
    expect(await page.getByText(/rounded half-up/).count()).toBeGreaterThan(0);

    // Tax Rule: "Edit" → listing; "Create Rule" → drawer.
    await page.getByRole("link", { name: "Edit Tax Rule" }).click();
    await page.getByRole("heading", { name: "Tax Rule", level: 1 }).waitFor({ timeout: TIMEOUT });
    await page.getByRole("button", { name: "Create Rule" }).click();
    const drawer = page.getByRole("dialog", { name: "Create Tax Rule" });
    await drawer.waitFor({ timeout: TIMEOUT });
    await drawer.getByRole("button", { name: "Save" }).click();
    await drawer.getByText("Enter a rule name.").waitFor({ timeout: TIMEOUT });
    await drawer.getByLabel("Rule Name").fill("E2E Levy");
    await drawer.getByLabel("Country").selectOption({ label: "Germany" });
    await drawer.getByLabel("Tax Rate %").fill("7");
    await drawer.getByLabel("Active").check();
    await drawer.getByRole("button", { name: "Save" }).click();
    const levyRow = page.getByRole("row").filter({ hasText: "E2E Levy" });
    await levyRow.waitFor({ timeout: TIMEOUT });
    expect(await levyRow.textContent()).toContain("7");

    // Edit (rate), then suspend by status.
    await page.getByRole("button", { name: "Edit E2E Levy" }).click();
    const edit = page.getByRole("dialog", { name: "Edit Tax Rule" });
    await edit.getByLabel("Tax Rate %").fill("7.5");
    await edit.getByRole("button", { name: "Save" }).click();
    await levyRow.getByText("7.5").waitFor({ timeout: TIMEOUT });
    await page.getByRole("button", { name: "Edit E2E Levy" }).click();
    await edit.getByLabel("Suspend").check();
    await edit.getByRole("button", { name: "Save" }).click();
    await levyRow.getByText("Suspended").waitFor({ timeout: TIMEOUT });
    // Escape closes a drawer.
    await page.getByRole("button", { name: "Create Rule" }).click();
    await page.keyboard.press("Escape");
    await page.getByRole("dialog", { name: "Create Tax Rule" }).waitFor({ state: "hidden", timeout: TIMEOUT });
    // Delete with confirmation.
    await page.getByRole("button", { name: "Delete E2E Levy" }).click();
    await page.getByRole("dialog", { name: "Delete tax rule?" }).getByRole("button", { name: "Confirm" }).click();
    await levyRow.waitFor({ state: "detached", timeout: TIMEOUT });

    // Invoices: Run billing now, watch the progress.
    await go(page, "Invoices");
    await page.getByRole("button", { name: "Run billing now" }).click();
    await page.getByText(/Last run completed/).waitFor({ timeout: 60_000 });
    // A finished run fills the bar and, when it issued invoices, says how fast.
    const bar = page.getByLabel(/Last run completed/);
    expect(await bar.getAttribute("value")).toBe(await bar.getAttribute("max"));
    const status = (await page.getByText(/subscriptions processed/).textContent()) ?? "";
    expect(status).toMatch(/ 0 invoices created|invoices created · [\d,]+ invoices\/s/);
    await page.reload();
    await page.getByRole("table").waitFor({ timeout: TIMEOUT });
    expect(await page.getByRole("row").count()).toBeGreaterThan(2);

    // Create a manual invoice.
    await page.getByRole("button", { name: "Create", exact: true }).click();
    await page.getByRole("heading", { name: "Create Invoice" }).waitFor({ timeout: TIMEOUT });
    await page.getByLabel("Customer", { exact: true }).check();
    await pickOrg(page, "Select Customer", "Brightwater Logistics Ltd");
    await page.getByLabel("Select Contract").locator("option").nth(1).waitFor({ state: "attached", timeout: TIMEOUT });
    await page.getByLabel("Select Contract").selectOption({ index: 1 });
    await page.getByLabel("Status").selectOption("unpaid");
    await page.getByLabel("Issue Date").fill(day());
    await page.getByLabel("Due Date").fill(day(14));
    await page.getByLabel("From", { exact: true }).fill(monthStart());
    await page.getByLabel("To", { exact: true }).fill(monthEnd());
    await page.getByLabel("Item from the contract").selectOption({ index: 1 });
    await page.getByRole("button", { name: "Add from contract" }).click();
    await page.getByRole("button", { name: "Add manual item" }).click();
    await page.getByLabel("Description of item 2").fill("On-site workshop");
    await page.getByLabel("Quantity of item 2").fill("2");
    await page.getByLabel("Unit price of item 2").fill("150");
    await page.getByLabel("Totals preview").getByText("UK VAT").waitFor({ timeout: TIMEOUT });
    await page.getByRole("button", { name: "Create", exact: true }).click();
    const title = page.getByRole("heading", { name: /^Invoice INV-\d{4}-\d{6}$/, level: 1 });
    await title.waitFor({ timeout: TIMEOUT });
    const number = (await title.textContent())!.replace("Invoice ", "").trim();
    await page.getByText("On-site workshop").waitFor();
    await page.getByRole("cell", { name: "2 units", exact: true }).waitFor(); // never "2 unit"
    await page.getByRole("cell", { name: "€150.00", exact: true }).waitFor(); // a price with its currency
    await page.getByText(/UK VAT \(20 %/).waitFor();

    // Find it as a person would: the organization and today's issue date in the filter (never "page 1").
    await go(page, "Invoices");
    await filterInvoices(page, { org: "Brightwater Logistics Ltd", from: day(), to: day() });
    await page.getByRole("row").filter({ hasText: number }).waitFor({ timeout: TIMEOUT });
    // Export CSV (every invoice for the filter) and Export Invoice (PDF of the selected one).
    const [csv] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Export CSV" }).click()]);
    const csvText = readFileSync((await csv.path())!, "utf8");
    expect(csvText).toContain(number);
    expect(csvText.split("\r\n")[0]).toContain("Invoice Number");
    await page.getByLabel(`Select invoice ${number}`).check();
    const [pdf] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Export Invoice" }).click()]);
    const pdfBytes = readFileSync((await pdf.path())!);
    expect(pdfBytes.subarray(0, 5).toString("latin1")).toBe("%PDF-");
    expect((await pdfText(new Uint8Array(pdfBytes))).join("\n")).toContain(number);

    // More » Resend Invoice.
    await openMore(page, number);
    await page.getByRole("menuitem", { name: "Resend Invoice" }).click();
    await page.getByText(`Invoice ${number} sent to`).waitFor({ timeout: TIMEOUT });

    // More » Adjust Offline on another unpaid invoice (any one: filtered by status, not taken by position).
    await filterInvoices(page, { status: "unpaid" });
    const other = page.getByRole("row").filter({ hasText: "Unpaid" }).filter({ hasNotText: number }).first();
    const otherNumber = (await other.getByRole("rowheader").textContent())!.trim();
    await openMore(page, otherNumber);
    await page.getByRole("menuitem", { name: "Adjust Offline" }).click();
    const offline = page.getByRole("dialog", { name: "Adjust Invoice Offline" });
    await offline.getByRole("button", { name: "Save" }).click();
    await offline.getByText("Enter the transaction reference.").waitFor({ timeout: TIMEOUT });
    await offline.getByLabel("Mark as Paid").check();
    await offline.getByLabel("Transaction Reference").fill("CHQ-4471");
    await offline.getByLabel("Description").fill("Cheque received by post");
    await offline.getByRole("button", { name: "Save" }).click();
    await page.getByText(`Invoice ${otherNumber} marked as paid.`).waitFor({ timeout: TIMEOUT });
    await filterInvoices(page, { q: otherNumber });
    await page.getByRole("row").filter({ hasText: otherNumber }).getByText("Paid", { exact: true }).waitFor({ timeout: TIMEOUT });

    // More » Cancel Invoice, with confirmation (found again by its number).
    await filterInvoices(page, { q: number });
    await page.getByRole("row").filter({ hasText: number }).waitFor({ timeout: TIMEOUT });
    await openMore(page, number);
    await page.getByRole("menuitem", { name: "Cancel Invoice" }).click();
    await page.getByRole("dialog", { name: `Cancel invoice ${number}?` }).getByRole("button", { name: "Cancel invoice", exact: true }).click();
    await page.getByText(`Invoice ${number} cancelled.`).waitFor({ timeout: TIMEOUT });
    await page.getByRole("row").filter({ hasText: number }).getByText("Cancelled", { exact: true }).waitFor({ timeout: TIMEOUT });

    // The invoice page shows the payment history of the paid one.
    await filterInvoices(page, { q: otherNumber });
    await page.getByRole("link", { name: otherNumber }).click();
    await page.getByRole("heading", { name: "Payment history" }).waitFor({ timeout: TIMEOUT });
    await page.getByText(/Offline payment .* Ref\. CHQ-4471/).waitFor({ timeout: TIMEOUT });

    // Currency and precision are now locked, with the reason.
    await mainNav(page).getByRole("link", { name: "Billing Configurations" }).click();
    await page.getByText(/Locked: invoices have already been issued/).waitFor({ timeout: TIMEOUT });
    expect(await page.getByLabel("Currency", { exact: true }).isDisabled()).toBe(true);
    expect(await page.getByLabel("Billing Precision").isDisabled()).toBe(true);
    expect(unexpected(b.errors)).toEqual([]);
  }, 240_000); // the manual's whole walk-through in one session: long on a busy 2-core machine

  test("a customer sees My Invoices with their own invoices only and can open one", async () => {
    await signInAs(b.page, CUSTOMER);
    await go(b.page, "My Invoices");
    await b.page.getByRole("table").waitFor({ timeout: TIMEOUT });
    const orgs = await b.page.getByRole("row").filter({ hasText: /INV-/ }).allTextContents();
    expect(orgs.length).toBeGreaterThan(0);
    for (const r of orgs) expect(r).toContain("Kestrel Analytics Inc.");
    expect(await b.page.getByRole("button", { name: "Create", exact: true }).count()).toBe(0);
    expect(await b.page.getByRole("button", { name: "Run billing now" }).count()).toBe(0);
    await b.page.getByRole("row").filter({ hasText: /INV-/ }).first().getByRole("link").click();
    await b.page.getByRole("heading", { name: "Invoiced Items" }).waitFor({ timeout: TIMEOUT });
    expect(unexpected(b.errors)).toEqual([]);
  });
});
