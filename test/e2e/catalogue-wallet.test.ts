/**
 * Catalogue, contracts, Resource Subscriptions, wallet and Transaction Logs in Chromium against the real worker
 * (seeded demo data). The admin builds a product → plan → contract → subscription for Kestrel Analytics, tops
 * up and allocates free credit, finds both in Transaction Logs with totals and exports them; then Kestrel's
 * customer user sees exactly that and nothing of another organization.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { day, monthStart, pickOrg, useBrowser, signInAs, go } from "./harness";

const ADMIN = { email: "admin@cumulus.example", password: "Cumulus-Admin-2026" };
const CUSTOMER = { email: "emily.nguyen@kestrel-analytics.example", password: "Cumulus-Customer-2026" };
const ORG = "Kestrel Analytics Inc.";
// Generous: the suite shares a 2-core machine with other suites (load average ~9 seen).
const TIMEOUT = 30_000;
const RUN = Date.now().toString(36);
const PRODUCT = `GPU Hours ${RUN}`;
const PLAN = `GPU Plan ${RUN}`;
const SUBSCRIPTION = `Kestrel Render Farm ${RUN}`;
const REFERENCE = `WIRE-${RUN}`;

const EXPECTED_RESOURCE_ERROR = /Failed to load resource: the server responded with a status of (401|404)/;
const unexpected = (errors: string[]) => errors.filter((e) => !EXPECTED_RESOURCE_ERROR.test(e));
/** The seed's stable ids (scripts/seed.mjs `seedId`), recomputed here so the test needs no JS import. */
function seedId(prefix: string, key: string): string {
  const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
  const digest = createHash("sha256").update(`cumulus-seed:${key}`).digest();
  let out = "";
  for (let i = 0; i < 26; i++) out += ALPHABET[digest[i]! & 31];
  return `${prefix}_${out}`;
}



/** Contracts and subscriptions start this month, whatever the date. */
const THIS_MONTH = monthStart();



describe("catalogue, subscriptions, wallet and Transaction Logs", () => {
  const b = useBrowser();

  test("the admin builds the catalogue, a contract and a subscription; credits the wallet; sees and exports it", async () => {
    const page = b.page;
    await signInAs(page, ADMIN);

    // Products: field-level errors first, then a pay-as-you-go product with a 4-decimal price.
    await go(page, "Products", "Products");
    await page.getByRole("button", { name: "Create Product" }).click();
    const productDrawer = page.getByRole("dialog", { name: "Create Product" });
    await productDrawer.getByLabel("Unit price").fill("1.0000001");
    await productDrawer.getByRole("button", { name: "Create" }).click();
    // Each message sits under its field and describes it (the notice at the top lists them too).
    const nameInput = productDrawer.getByLabel("Name");
    await productDrawer.locator("#product-name-error").filter({ hasText: "Name is required." }).waitFor({ timeout: TIMEOUT });
    expect(await nameInput.getAttribute("aria-invalid")).toBe("true");
    expect(await nameInput.getAttribute("aria-describedby")).toBe("product-name-error");
    await productDrawer.locator("#product-price-error").filter({ hasText: "Unit price has at most 6 decimals." }).waitFor();
    await productDrawer.getByLabel("Name").fill(PRODUCT);
    await productDrawer.getByLabel("Model").selectOption("payg");
    await productDrawer.getByLabel("Unit", { exact: true }).fill("GPU-hour");
    await productDrawer.getByLabel("Unit price").fill("1.2345");
    await productDrawer.getByRole("button", { name: "Create" }).click();
    await page.getByText(`${PRODUCT} was created.`).waitFor({ timeout: TIMEOUT });
    const productRow = page.getByRole("row").filter({ has: page.getByRole("rowheader", { name: PRODUCT }) });
    // Prices carry the billing currency, exact to the decimals they were set with.
    expect(await productRow.getByRole("cell").allTextContents()).toContain("€1.2345");

    // Plans: a plan with that product.
    await go(page, "Plans", "Plans");
    await page.getByRole("button", { name: "Create Plan" }).click();
    const planDrawer = page.getByRole("dialog", { name: "Create Plan" });
    await planDrawer.getByLabel("Name").fill(PLAN);
    await planDrawer.getByRole("checkbox", { name: new RegExp(PRODUCT) }).check();
    await planDrawer.getByRole("button", { name: "Create" }).click();
    await page.getByText(`${PLAN} was created.`).waitFor({ timeout: TIMEOUT });

    // Contracts: the plan for Kestrel.
    await go(page, "Contracts", "Contracts");
    await page.getByRole("button", { name: "Create Contract" }).click();
    const contractDrawer = page.getByRole("dialog", { name: "Create Contract" });
    await pickOrg(contractDrawer, "Customer or reseller", ORG);
    await contractDrawer.getByLabel("Plan").selectOption({ label: PLAN });
    await contractDrawer.getByLabel("Start date").fill(THIS_MONTH);
    await contractDrawer.getByRole("button", { name: "Create" }).click();
    await page.getByText(`The contract for ${ORG} (${PLAN}) was created.`).waitFor({ timeout: TIMEOUT });

    // Resource Subscriptions: on that contract, with a resource.
    await go(page, "Resource Subscriptions", "Resource Subscriptions");
    await page.getByRole("button", { name: "Create Subscription" }).click();
    const subDrawer = page.getByRole("dialog", { name: "Create Resource Subscription" });
    await pickOrg(subDrawer, "Organization", ORG);
    const contractSelect = subDrawer.getByLabel("Contract");
    await contractSelect.locator("option", { hasText: PLAN }).waitFor({ state: "attached", timeout: TIMEOUT });
    await contractSelect.selectOption((await contractSelect.locator("option", { hasText: PLAN }).first().getAttribute("value"))!);
    await subDrawer.getByLabel("Name", { exact: true }).fill(SUBSCRIPTION);
    await subDrawer.getByLabel("Model").selectOption("payg");
    await subDrawer.getByLabel("Billing cycle").selectOption("month");
    await subDrawer.getByLabel("Anchor date").fill(THIS_MONTH);
    await subDrawer.getByRole("button", { name: "Add Resource" }).click();
    const resource = subDrawer.getByRole("group", { name: "Resource 1" });
    await resource.getByLabel("Name").fill("ka-render-01");
    await resource.getByLabel("Region").fill("us-east-1");
    await subDrawer.getByRole("button", { name: "Create" }).click();
    // One full stop, even after a name that ends with one ("Kestrel Analytics Inc.").
    await page.getByText(`${SUBSCRIPTION} was created for ${ORG}`, { exact: true }).waitFor({ timeout: TIMEOUT });
    await page.getByRole("link", { name: SUBSCRIPTION }).click();
    await page.getByRole("heading", { name: SUBSCRIPTION, level: 1 }).waitFor({ timeout: TIMEOUT });
    await page.getByRole("rowheader", { name: "ka-render-01" }).waitFor();
    // Edit: the drawer opens with the current values (contract included) and saves a status change.
    await page.getByRole("button", { name: "Edit Subscription" }).click();
    const editDrawer = page.getByRole("dialog", { name: `Edit ${SUBSCRIPTION}` });
    await editDrawer.getByLabel("Contract").locator("option:checked", { hasText: PLAN }).waitFor({ state: "attached", timeout: TIMEOUT });
    await editDrawer.getByRole("group", { name: "Resource 1" }).getByLabel("Status").selectOption("terminated");
    await editDrawer.getByRole("button", { name: "Save" }).click();
    // Ending service asks first.
    const endConfirm = page.getByRole("dialog", { name: "End service?" });
    await endConfirm.getByText("ka-render-01 is terminated").waitFor({ timeout: TIMEOUT });
    await endConfirm.getByRole("button", { name: "Save" }).click();
    await page.getByText(`${SUBSCRIPTION} was saved.`).waitFor({ timeout: TIMEOUT });
    expect(await page.getByRole("row").filter({ has: page.getByRole("rowheader", { name: "ka-render-01" }) }).getByText("Terminated").count()).toBe(1);

    // Wallet: top up and allocate free credit.
    await go(page, "Wallets", "Wallets");
    await pickOrg(page, "Organization", ORG);
    await page.getByRole("heading", { name: "Wallet", level: 2 }).waitFor({ timeout: TIMEOUT });
    const paidBefore = await page.getByTestId("balance-paid").textContent();
    await page.getByRole("button", { name: "Top Up" }).click();
    const topUp = page.getByRole("dialog", { name: "Top Up" });
    await topUp.getByLabel("Amount (EUR)").fill("-5");
    await topUp.getByRole("button", { name: "Top Up" }).click();
    await topUp.locator("#credit-amount-error").filter({ hasText: "The amount must be greater than zero." }).waitFor({ timeout: TIMEOUT });
    await topUp.getByLabel("Amount (EUR)").fill("100.00");
    await topUp.getByLabel("Transaction Reference (optional)").fill(REFERENCE);
    await topUp.getByRole("button", { name: "Top Up" }).click();
    await page.getByRole("dialog", { name: "Confirm top-up" }).getByRole("button", { name: "Add €100.00" }).click();
    await page.getByText(/Top-up of EUR 100\.00 added/).waitFor({ timeout: TIMEOUT });
    expect(await page.getByTestId("balance-paid").textContent()).not.toBe(paidBefore);
    await page.getByRole("button", { name: "Allocate Free Credit" }).click();
    const free = page.getByRole("dialog", { name: "Allocate Free Credit" });
    await free.getByLabel("Amount (EUR)").fill("25.50");
    await free.getByLabel("Usable until (optional)").fill(day(60));
    await free.getByLabel("Description (optional)").fill(`Launch promotion ${RUN}`);
    await free.getByRole("button", { name: "Allocate" }).click();
    await page.getByRole("dialog", { name: "Confirm free credit" }).getByRole("button", { name: "Allocate €25.50" }).click();
    await page.getByText(/Free credit of EUR 25\.50 added/).waitFor({ timeout: TIMEOUT });
    await page.getByRole("table").getByRole("cell", { name: "€25.50" }).first().waitFor();

    // Transaction Logs: both movements, totals for a filter, the chart's table alternative, CSV export.
    await go(page, "Transaction Logs", "Transaction Logs");
    await pickOrg(page, "Organization", ORG);
    await page.waitForURL((u) => Boolean(u.searchParams.get("orgId")), { timeout: TIMEOUT });
    await page.getByRole("cell", { name: REFERENCE }).waitFor({ timeout: TIMEOUT });
    await page.getByRole("cell", { name: `Launch promotion ${RUN}` }).waitFor();
    await page.getByLabel("Search reference").fill(REFERENCE);
    await page.waitForURL((u) => u.searchParams.get("q") === REFERENCE, { timeout: TIMEOUT });
    await page.getByTestId("total-income").filter({ hasText: "€100.00" }).waitFor({ timeout: TIMEOUT });
    expect(await page.getByTestId("total-expenses").textContent()).toBe("€0.00");
    await page.getByText("Show chart data as a table").click();
    await page.getByRole("table", { name: "Income and expenses per period" }).waitFor();
    const [download] = await Promise.all([page.waitForEvent("download", { timeout: TIMEOUT }), page.getByRole("link", { name: "Export CSV" }).click()]);
    const csv = readFileSync((await download.path())!, "utf8");
    expect(csv).toContain(REFERENCE);
    expect(csv).toContain("Wallet top-up");
    expect(csv.split("\r\n").filter(Boolean)).toHaveLength(2);
    expect(unexpected(b.errors)).toEqual([]);
  });

  test("the customer sees their subscriptions, balance and transactions, and nothing of another organization", async () => {
    const page = b.page;
    await signInAs(page, CUSTOMER);
    await go(page, "My Subscriptions", "My Subscriptions");
    await page.getByRole("link", { name: SUBSCRIPTION }).waitFor({ timeout: TIMEOUT });
    await page.getByRole("link", { name: "Kestrel Model Training" }).waitFor();
    expect(await page.getByText("Brightwater").count()).toBe(0);
    expect(await page.getByRole("button", { name: "Create Subscription" }).count()).toBe(0);
    // Seeded usage on the pay-as-you-go subscription.
    await page.getByRole("link", { name: "Kestrel Model Training" }).click();
    await page.getByRole("heading", { name: "Usage", level: 2 }).waitFor({ timeout: TIMEOUT });
    await page.getByRole("table", { name: "Monthly usage totals" }).getByRole("rowheader", { name: /^\d{4}-\d{2}$/ }).first().waitFor({ timeout: TIMEOUT });

    await go(page, "My Wallet", "My Wallet");
    await page.getByTestId("balance-paid").filter({ hasText: "€" }).waitFor({ timeout: TIMEOUT });
    expect(await page.getByRole("button", { name: "Top Up" }).count()).toBe(0);

    await go(page, "My Transactions", "My Transactions");
    await page.getByRole("cell", { name: REFERENCE }).waitFor({ timeout: TIMEOUT });
    expect(await page.getByLabel("Organization", { exact: true }).count()).toBe(0);

    // Another organization's subscription by address: not found, nothing revealed.
    await page.goto(`/subscriptions/${seedId("sub", "brightwater-prod")}`);
    await page.getByRole("heading", { name: /not found/i }).waitFor({ timeout: TIMEOUT });
    expect(await page.getByText("Brightwater Production").count()).toBe(0);
    expect(unexpected(b.errors)).toEqual([]);
  });
});
