/**
 * The Cloud-Admin's side of the browser tests. For the payment tests (test/e2e/pay-all.test.ts,
 * card-setup-return.test.ts): a page of its own, signed in once before the file's tests, that makes their customers
 * and invoices through the API while the tests' page (useBrowser) is the customer's. For billing.test.ts and
 * walkthrough.test.ts: the Invoices list's filters, filled as a person does.
 */
import { beforeAll } from "vitest";
import type { Browser, Page } from "playwright-core";
import type { InvoiceDetail } from "../../worker/contract/billing";
import { ADMIN, ok, signInAs } from "./dunning-helpers";
import { day, go, newPage, pickOrg } from "./harness";

/** The admin's page, opened and signed in by a `beforeAll` (read `.page` inside tests and hooks). */
export function useAdminPage(b: { readonly browser: Browser }): { readonly page: Page } {
  let page: Page | undefined;
  beforeAll(async () => {
    page = (await newPage(b.browser)).page;
    await signInAs(page, ADMIN);
  });
  return {
    get page(): Page {
      if (!page) throw new Error("useAdminPage: the admin's page opens in beforeAll");
      return page;
    },
  };
}

/**
 * An unpaid manual invoice of one line (`unitPrice` in the billing currency, no tax) for the organization, issued
 * `daysAgo` days ago (a past issue date is confirmed) and due 14 days after it.
 */
export function unpaidInvoice(admin: Page, orgId: string, line: { description: string; unitPrice: string; daysAgo?: number }): Promise<InvoiceDetail> {
  const ago = line.daysAgo ?? 0;
  return ok<InvoiceDetail>(admin, "POST", "/api/invoices", {
    for: "customer", orgId, status: "unpaid", issueDate: day(-ago), dueDate: day(14 - ago), periodFrom: day(-30 - ago), periodTo: day(-1 - ago),
    items: [{ description: line.description, quantity: "1", unitPrice: line.unitPrice, taxable: false, unit: "unit" }],
    ...(ago > 0 ? { confirmIssueDate: true } : {}),
  });
}

/** Invoices » filters, as a person narrows the list: number, organization, status, issue dates; then Apply. */
export async function filterInvoices(page: Page, f: { q?: string; org?: string; status?: string; from?: string; to?: string }) {
  const form = page.getByRole("search", { name: "Filter invoices" });
  await form.getByLabel("Invoice number").fill(f.q ?? "");
  if (f.org) await pickOrg(form, "Organization", f.org);
  else await form.getByLabel("Organization", { exact: true }).selectOption("");
  await form.getByLabel("Status").selectOption(f.status ?? "");
  await form.getByLabel("Issued from").fill(f.from ?? "");
  await form.getByLabel("Issued to").fill(f.to ?? "");
  await form.getByRole("button", { name: "Apply" }).click();
}

/** Invoices from the main menu, narrowed to one organization (and a status), once applied: the URL carries the filter. */
export async function showInvoices(page: Page, f: { org: string; status?: string }): Promise<void> {
  await go(page, "Invoices");
  await filterInvoices(page, f);
  await page.waitForURL((u) => Boolean(u.searchParams.get("orgId")) && (!f.status || u.searchParams.get("status") === f.status), { timeout: 30_000 });
}
