/**
 * Credit Card Status in Chromium (docs/decisions/019b-card-health-and-self-pay.md): a Cloud-Admin opens it from
 * the menu, finds an organization whose card is Blocked (by name, never by position), sees it in the card health
 * view with its unpaid invoice, unblocks it (a reason is required; confirmed; the row turns Active), and exports
 * the filtered list. Read-only billing staff see the list without Unblock. The organization and its card are
 * written straight to the E2E database: a card only the gateway could block otherwise.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { describe, expect, test } from "vitest";
import type { Page } from "playwright-core";
import { day, signIn, useBrowser } from "./harness";
import { e2eSql } from "./users";

const ADMIN = { email: "admin@cumulus.example", password: "Cumulus-Admin-2026" };
const STAFF_READ = { email: "olivia.bennett@cumulus.example", password: "Cumulus-Staff-2026" };
const TIMEOUT = 20_000;
const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const ulid = (prefix: string) => `${prefix}_${Array.from(randomBytes(26), (b) => ALPHABET[b & 31]).join("")}`;

async function signInAs(page: Page, who: { email: string; password: string }) {
  await page.goto("/sign-in", { waitUntil: "domcontentloaded" });
  await page.getByRole("heading", { name: "Sign in" }).waitFor({ timeout: TIMEOUT });
  await signIn(page, who.email, who.password);
  await page.getByRole("navigation", { name: "Main" }).waitFor({ timeout: TIMEOUT });
}

/** A customer organization with a Blocked Visa •••• 0341 (3 declines), expiring in two years. */
async function blockedCustomer(): Promise<{ id: string; name: string; cardId: string }> {
  const id = ulid("org");
  const cardId = ulid("crd");
  const name = `Blocked Card E2E ${randomUUID().slice(0, 8)}`;
  const now = Date.now();
  const year = new Date(now).getUTCFullYear() + 2;
  await e2eSql(`INSERT INTO organizations (id, kind, name, status, country, time_zone, created_at, updated_at) VALUES ('${id}', 'customer', '${name}', 'active', 'DE', 'UTC', ${now}, ${now});
    INSERT INTO payment_methods (id, org_id, gateway, gateway_customer_id, gateway_payment_method_id, brand, last4, exp_month, exp_year, fingerprint, cardholder_name, status, is_default, decline_count, created_at, updated_at)
    VALUES ('${cardId}', '${id}', 'stripe', 'cus_e2e_${id}', 'pm_e2e_${cardId}', 'visa', '0341', 4, ${year}, 'fp_e2e_${cardId}', 'E2E', 'blocked', 1, 3, ${now}, ${now});`);
  return { id, name, cardId };
}

async function createUnpaidInvoice(page: Page, orgId: string): Promise<void> {
  const status = await page.evaluate(async ([org, from, to]) => {
    const r = await fetch("/api/invoices", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({
      for: "customer", orgId: org, status: "unpaid", issueDate: to, dueDate: to, periodFrom: from, periodTo: to,
      items: [{ description: "Support block (E2E card status)", quantity: "1", unitPrice: "250", taxable: false, unit: "unit" }],
    }) });
    return r.status;
  }, [orgId, day(-30), day(0)] as const);
  expect(status).toBe(201);
}

async function openScreen(page: Page) {
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Credit Card Status", exact: true }).click();
  await page.getByRole("heading", { name: "Credit Card Status", level: 1 }).waitFor({ timeout: TIMEOUT });
}

async function search(page: Page, name: string) {
  await page.getByLabel("Search", { exact: true }).fill(name);
  await page.getByRole("button", { name: "Apply" }).click();
  // The filter lives in the URL; the list then holds this organization only.
  await page.waitForURL((url) => url.searchParams.get("search") === name, { timeout: TIMEOUT });
  await expect.poll(() => page.getByRole("table", { name: /Credit card status of/ }).getByRole("row").count(), { timeout: TIMEOUT }).toBe(2);
}

describe("Credit Card Status", () => {
  const b = useBrowser();

  test("the Cloud-Admin finds a blocked card, sees the money at stake, unblocks it with a reason and exports the list", async () => {
    const org = await blockedCustomer();
    await signInAs(b.page, ADMIN);
    await createUnpaidInvoice(b.page, org.id);
    await openScreen(b.page);
    const health = b.page.getByRole("table", { name: "Blocked cards with unpaid invoices" });
    const healthRow = health.getByRole("row", { name: new RegExp(org.name) });
    await healthRow.waitFor({ timeout: TIMEOUT });
    expect(await healthRow.textContent()).toContain("250.00");

    await search(b.page, org.name);
    const row = b.page.getByRole("table", { name: /Credit card status of/ }).getByRole("row", { name: new RegExp(org.name) });
    const text = (await row.textContent()) ?? "";
    for (const expected of ["Configured", "Blocked", "VISA •••• 0341", "3", "Off", "Online"]) expect(text).toContain(expected);
    const csv = new URL((await b.page.getByRole("link", { name: "Export CSV" }).getAttribute("href"))!, "http://x");
    expect(csv.pathname).toBe("/api/billing/credit-card-status/export.csv");
    expect(csv.searchParams.get("search")).toBe(org.name);

    await row.getByRole("button", { name: `Unblock the card of ${org.name}` }).click();
    const dialog = b.page.getByRole("dialog", { name: `Unblock the card of ${org.name}?` });
    await dialog.waitFor({ timeout: TIMEOUT });
    await dialog.getByRole("button", { name: "Unblock" }).click();
    await dialog.getByText("Enter a reason.").waitFor({ timeout: TIMEOUT });
    await dialog.getByLabel("Reason").fill("The bank lifted its hold (E2E).");
    await dialog.getByRole("button", { name: "Unblock" }).click();
    await b.page.getByText(`of ${org.name} is unblocked.`).waitFor({ timeout: TIMEOUT });
    await expect.poll(async () => row.textContent(), { timeout: TIMEOUT }).toContain("Active");
    expect(await row.getByRole("button", { name: /Unblock/ }).count()).toBe(0);
    expect(b.errors).toEqual([]);
  });

  test("read-only billing staff see the list and the health view without Unblock", async () => {
    const org = await blockedCustomer();
    await signInAs(b.page, STAFF_READ);
    await openScreen(b.page);
    await b.page.getByRole("heading", { name: "Card health" }).waitFor({ timeout: TIMEOUT });
    await search(b.page, org.name);
    const row = b.page.getByRole("table", { name: /Credit card status of/ }).getByRole("row", { name: new RegExp(org.name) });
    expect(await row.textContent()).toContain("Blocked");
    expect(await b.page.getByRole("button", { name: /Unblock/ }).count()).toBe(0);
  });
});
