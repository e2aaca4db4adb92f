/**
 * Money inputs and confirmations in Chromium (issue 8): the wallet's Top Up refuses an amount above the storable
 * maximum with a field message and confirms exactly the amount typed; Create Invoice shows the field message for
 * a price beyond the maximum, and asks before issuing an invoice dated far from today or totalling zero, issuing
 * only when the person confirms on purpose. Dates are computed from today; rows are found by their number.
 */
import { describe, expect, test } from "vitest";
import type { Locator, Page } from "playwright-core";
import { useBrowser, mainNav, signInAs } from "./harness";

const ADMIN = { email: "admin@cumulus.example", password: "Cumulus-Admin-2026" };
const TIMEOUT = 30_000;
const EXPECTED_RESOURCE_ERROR = /Failed to load resource: the server responded with a status of (400|409)/;
const unexpected = (errors: string[]) => errors.filter((e) => !EXPECTED_RESOURCE_ERROR.test(e));
const day = (offsetDays: number) => new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);


/** Chooses an organization in a picker labelled `label`: the searchable picker when there is one, else the plain select. */
async function chooseOrg(scope: Page | Locator, label: string, name: string) {
  const search = scope.getByLabel(`${label}: search`, { exact: true });
  if (await search.count()) await search.fill(name.split(" ")[0]!);
  const select = scope.getByLabel(label, { exact: true });
  const option = select.locator("option", { hasText: name }).first();
  await option.waitFor({ state: "attached", timeout: TIMEOUT });
  await select.selectOption((await option.getAttribute("value"))!);
}

describe("money inputs and confirmations", () => {
  const b = useBrowser();

  test("Top Up: above 1,000,000,000 is a field message; the confirmation states exactly the amount typed", async () => {
    const page = b.page;
    await signInAs(page, ADMIN);
    await mainNav(page).getByRole("link", { name: "Wallets", exact: true }).click();
    await page.getByRole("heading", { name: "Wallets", level: 1 }).waitFor({ timeout: TIMEOUT });
    await chooseOrg(page, "Organization", "Kestrel Analytics Inc.");
    await page.getByRole("heading", { name: "Wallet", level: 2 }).waitFor({ timeout: TIMEOUT });
    await page.getByRole("button", { name: "Top Up" }).click();
    const drawer = page.getByRole("dialog", { name: "Top Up" });
    const amount = drawer.getByLabel("Amount (EUR)");

    await amount.fill("99999999999999999999");
    await drawer.getByRole("button", { name: "Top Up" }).click();
    await drawer.locator("#credit-amount-error").filter({ hasText: "The amount cannot be more than 1,000,000,000." }).waitFor({ timeout: TIMEOUT });
    expect(await page.getByRole("dialog", { name: "Confirm top-up" }).isVisible()).toBe(false);

    for (const [typed, shown] of [["1234567.89", "€1,234,567.89"], ["1000000000", "€1,000,000,000.00"], ["0.07", "€0.07"]] as const) {
      await amount.fill(typed);
      await drawer.getByRole("button", { name: "Top Up" }).click();
      const confirm = page.getByRole("dialog", { name: "Confirm top-up" });
      await confirm.getByRole("button", { name: `Add ${shown}` }).waitFor({ timeout: TIMEOUT });
      expect(await confirm.textContent()).toContain(`${shown} of paid credit`);
      await confirm.getByRole("button", { name: "Cancel" }).click();
      await confirm.waitFor({ state: "hidden", timeout: TIMEOUT });
    }
    expect(unexpected(b.errors)).toEqual([]);
  });

  test("Create Invoice: a price beyond the maximum is a field message; a far issue date and a zero total are confirmed on purpose", async () => {
    const page = b.page;
    await signInAs(page, ADMIN);
    await mainNav(page).getByRole("link", { name: "Invoices", exact: true }).click();
    await page.getByRole("heading", { name: "Invoices", level: 1 }).waitFor({ timeout: TIMEOUT });
    await page.getByRole("button", { name: "Create", exact: true }).click();
    await page.getByRole("heading", { name: "Create Invoice" }).waitFor({ timeout: TIMEOUT });
    await page.getByLabel("Customer", { exact: true }).check();
    await chooseOrg(page, "Select Customer", "Brightwater Logistics Ltd");
    await page.getByRole("button", { name: "Add manual item" }).click();
    await page.getByLabel("Description of item 1").fill("Rounding check");
    await page.getByLabel("Quantity of item 1").fill("1");
    await page.getByLabel("Unit price of item 1").fill("99999999999999999999");
    await page.getByRole("button", { name: "Create", exact: true }).click();
    await page.locator("#items\\.0\\.unitPrice-error").filter({ hasText: "The unit price cannot be more than 1,000,000,000." }).waitFor({ timeout: TIMEOUT });

    // A normal amount, dated more than a month ahead: the server asks, says why, and nothing is issued on Cancel.
    const ahead = day(45);
    await page.getByLabel("Unit price of item 1").fill("120");
    await page.getByLabel("Issue Date").fill(ahead);
    await page.getByLabel("Due Date").fill(day(60));
    await page.getByRole("button", { name: "Create", exact: true }).click();
    const ask = page.getByRole("dialog", { name: "Create this invoice?" });
    await ask.getByText(`The issue date ${ahead} is more than a month after today`).waitFor({ timeout: TIMEOUT });
    await page.locator("#issueDate-error").filter({ hasText: "more than a month after today" }).waitFor();
    await ask.getByRole("button", { name: "Cancel" }).click();
    await ask.waitFor({ state: "hidden", timeout: TIMEOUT });
    expect(new URL(page.url()).pathname).toBe("/billing/invoices/new");

    // Back to today, with 0.0001 × 0.333333 (rounds to €0.00): asked again, then issued once confirmed.
    await page.getByLabel("Issue Date").fill(day(0));
    await page.getByLabel("Due Date").fill(day(14));
    await page.getByLabel("Quantity of item 1").fill("0.0001");
    await page.getByLabel("Unit price of item 1").fill("0.333333");
    await page.getByRole("button", { name: "Create", exact: true }).click();
    await ask.getByText(/The invoice total is €0\.00/).waitFor({ timeout: TIMEOUT });
    expect(await ask.getByText(/more than a month/).count()).toBe(0);
    await ask.getByRole("button", { name: "Create anyway" }).click();
    const title = page.getByRole("heading", { name: /^Invoice INV-\d{4}-\d{6}$/, level: 1 });
    await title.waitFor({ timeout: TIMEOUT });
    await page.getByText("Rounding check").waitFor();
    expect(unexpected(b.errors)).toEqual([]);
  });
});
