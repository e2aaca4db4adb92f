/**
 * The portal in Chromium against the real worker (wrangler dev, seeded demo data; test/e2e/global-setup.ts).
 * Selectors are labels, roles and the manual's names, never CSS classes: they are the portal's contract.
 */
import { describe, expect, test } from "vitest";
import type { Page } from "playwright-core";
import { go, signIn, useBrowser, mainNav, signInAs } from "./harness";

const ADMIN = { email: "admin@cumulus.example", password: "Cumulus-Admin-2026" };
const STAFF = { email: "olivia.bennett@cumulus.example", password: "Cumulus-Staff-2026", name: "Olivia Bennett" };
const RESELLER = { email: "james.carter@northwind-cloud.example", password: "Cumulus-Reseller-2026" };
const CUSTOMER = { email: "emily.nguyen@kestrel-analytics.example", password: "Cumulus-Customer-2026" };
/** Used only for failed attempts, so no other test's account gets throttled. */
const WRONG_PASSWORD_ACCOUNT = "marek.nowak@cumulus.example";
const THROTTLED_ACCOUNT = "nobody.e2e-throttle@cumulus.example";

const TIMEOUT = 15_000;
/** Every signed-in user has the Account Settings screens (issue 3). */
const ACCOUNT_SETTINGS = ["Personal Profile", "Multi Factor Authentication", "Change Password", "Passkeys & Sessions"];

/** Errors the browser logs for expected API answers (the session probe's 401, a refused sign-in). */
const EXPECTED_RESOURCE_ERROR = /Failed to load resource: the server responded with a status of (401|429)/;
const unexpected = (errors: string[]) => errors.filter((e) => !EXPECTED_RESOURCE_ERROR.test(e));

const path = (page: Page) => new URL(page.url()).pathname;


async function navLinks(page: Page): Promise<string[]> {
  return (await mainNav(page).getByRole("link").allTextContents()).map((t) => t.trim());
}

describe("sign-in and the shell", () => {
  const b = useBrowser();

  test("the Cloud-Admin sees Organizations, Staff & Privileges, the billing screens and Audit Log under the manual's menus", async () => {
    await signInAs(b.page, ADMIN);
    expect(path(b.page)).toBe("/");
    expect(await navLinks(b.page)).toEqual(["Organizations", "Resource Subscriptions", "Staff & Privileges", ...ACCOUNT_SETTINGS, "Billing Configurations", "Invoices", "Dunning", "Credit Card Status", "Transaction Logs", "Wallets", "Products", "Plans", "Contracts", "Email Templates", "SMTP Configuration", "Delivery Configuration", "Email Log", "Audit Log"]);
    const groups = await mainNav(b.page).getByRole("heading", { level: 2 }).allTextContents();
    expect(groups).toEqual(["User Management & Services", "Billing & Reports", "Configuration"]);
    await b.page.getByRole("region", { name: "Notifications" }).waitFor({ state: "attached" });
    expect(unexpected(b.errors)).toEqual([]);
  });

  test("signing out returns to sign-in and ends the session on the server", async () => {
    // A failed attempt first: its error must not greet the user again after signing out.
    await b.page.goto("/sign-in");
    await signIn(b.page, ADMIN.email, "not-the-password");
    await b.page.getByRole("alert").waitFor({ timeout: TIMEOUT });
    await signIn(b.page, ADMIN.email, ADMIN.password);
    await mainNav(b.page).waitFor({ timeout: TIMEOUT });
    const userMenu = b.page.getByRole("button", { name: /^Signed in as / });
    await userMenu.click();
    expect(await userMenu.getAttribute("aria-expanded")).toBe("true");
    await b.page.getByRole("button", { name: "Sign out", exact: true }).click();
    await b.page.waitForURL((url) => url.pathname === "/sign-in", { timeout: TIMEOUT });
    await b.page.getByRole("heading", { name: "Sign in" }).waitFor();
    expect(await b.page.getByRole("alert").count()).toBe(0);
    const status = await b.page.evaluate(() => fetch("/api/auth/session").then((r) => r.status));
    expect(status).toBe(401);
    // The shell is gone: reloading a portal page asks for sign-in again.
    await b.page.goto("/organizations");
    await b.page.waitForURL((url) => url.pathname === "/sign-in", { timeout: TIMEOUT });
    expect(unexpected(b.errors)).toEqual([]);
  });

  test("a wrong password shows the API's message and stays on sign-in", async () => {
    await b.page.goto("/sign-in");
    await signIn(b.page, WRONG_PASSWORD_ACCOUNT, "not-the-password");
    await b.page.getByRole("alert").filter({ hasText: "Email or password is incorrect." }).waitFor({ timeout: TIMEOUT });
    expect(path(b.page)).toBe("/sign-in");
    expect(await b.page.getByLabel("Email", { exact: true }).inputValue()).toBe(WRONG_PASSWORD_ACCOUNT);
    expect(unexpected(b.errors)).toEqual([]);
  });

  test("empty fields get field-level messages linked to their inputs", async () => {
    await b.page.goto("/sign-in");
    await b.page.getByRole("button", { name: "Sign in", exact: true }).click();
    const email = b.page.getByLabel("Email", { exact: true });
    await b.page.getByText("Enter your email address.").waitFor({ timeout: TIMEOUT });
    expect(await email.getAttribute("aria-invalid")).toBe("true");
    const describedBy = await email.getAttribute("aria-describedby");
    expect(await b.page.locator(`[id="${describedBy}"]`).textContent()).toBe("Enter your email address.");
    expect(await email.evaluate((el) => el === document.activeElement)).toBe(true);
  });

  test("repeated failures show how long to wait (429 with Retry-After)", async () => {
    await b.page.goto("/sign-in");
    const tooMany = b.page.getByRole("alert").filter({ hasText: /Too many attempts\. Try again in \d+ seconds?\./ });
    for (let attempt = 1; attempt <= 8 && !(await tooMany.count()); attempt++) {
      await signIn(b.page, THROTTLED_ACCOUNT, `wrong-${attempt}`);
      await b.page.getByRole("alert").waitFor({ timeout: TIMEOUT });
      await b.page.waitForFunction(() => !document.querySelector("form[aria-busy='true']"));
    }
    await tooMany.waitFor({ timeout: TIMEOUT });
    expect(path(b.page)).toBe("/sign-in");
  });

  test("a signed-out deep link goes to sign-in and back to the same page afterwards", async () => {
    await b.page.goto("/organizations?kind=reseller");
    await b.page.waitForURL((url) => url.pathname === "/sign-in", { timeout: TIMEOUT });
    expect(new URL(b.page.url()).searchParams.get("next")).toBe("/organizations?kind=reseller");
    await signIn(b.page, ADMIN.email, ADMIN.password);
    await b.page.waitForURL((url) => url.pathname === "/organizations", { timeout: TIMEOUT });
    await b.page.getByRole("heading", { name: "Organizations", level: 1 }).waitFor();
    expect(new URL(b.page.url()).searchParams.get("kind")).toBe("reseller");
    expect(await b.page.getByLabel("Type", { exact: true }).inputValue()).toBe("reseller");
    expect(await mainNav(b.page).getByRole("link", { name: "Organizations" }).getAttribute("aria-current")).toBe("page");
    expect(unexpected(b.errors)).toEqual([]);
  });

  test("a filter that matches nothing says so, distinct from an empty list, and Clear filters brings the list back", async () => {
    await signInAs(b.page, ADMIN);
    await go(b.page, "Organizations");
    await b.page.getByLabel("Type", { exact: true }).selectOption("reseller");
    await b.page.getByLabel("Search", { exact: true }).fill(`no-such-organization-${Date.now()}`);
    await b.page.getByText("No organizations match these filters.").waitFor({ timeout: TIMEOUT });
    expect(await b.page.getByText("There are no organizations to show.").count()).toBe(0);
    expect(await b.page.getByRole("table", { name: "Organizations" }).count()).toBe(0);
    await b.page.getByRole("button", { name: "Clear filters" }).click();
    await b.page.getByRole("table", { name: "Organizations" }).getByRole("link", { name: "Northwind Cloud Partners", exact: true }).waitFor({ timeout: TIMEOUT });
    const search = new URL(b.page.url()).searchParams;
    expect([search.get("q"), search.get("kind")]).toEqual([null, null]);
    expect(await b.page.getByLabel("Search", { exact: true }).inputValue()).toBe("");
    expect(await b.page.getByLabel("Type", { exact: true }).inputValue()).toBe("");
    expect(await b.page.getByText("No organizations match these filters.").count()).toBe(0);
  });

  test("a session that ends while the portal is open leads to sign-in and back", async () => {
    await signInAs(b.page, ADMIN);
    await b.context.clearCookies();
    await mainNav(b.page).getByRole("link", { name: "Staff & Privileges" }).click();
    await b.page.waitForURL((url) => url.pathname === "/sign-in", { timeout: TIMEOUT });
    expect(new URL(b.page.url()).searchParams.get("next")).toBe("/staff");
    await signIn(b.page, ADMIN.email, ADMIN.password);
    await b.page.getByRole("heading", { name: "Staff & Privileges", level: 1 }).waitFor({ timeout: TIMEOUT });
    expect(path(b.page)).toBe("/staff");
  });

  test("an unknown address shows the not-found page inside the shell", async () => {
    await signInAs(b.page, ADMIN);
    await b.page.goto("/no-such-screen");
    await b.page.getByRole("heading", { name: "Page not found", level: 1 }).waitFor({ timeout: TIMEOUT });
    await mainNav(b.page).waitFor();
  });
});

describe("what each role may use", () => {
  const b = useBrowser();

  test("staff with organizations.read and billing.read sees Organizations and the billing screens but not Staff & Privileges nor Audit Log", async () => {
    await signInAs(b.page, STAFF);
    expect(await navLinks(b.page)).toEqual(["Organizations", "Resource Subscriptions", ...ACCOUNT_SETTINGS, "Billing Configurations", "Invoices", "Dunning", "Credit Card Status", "Transaction Logs", "Wallets", "Products", "Plans", "Contracts"]);
    // Typing the address does not help: the screen is guarded by the menu's own rule, so the portal says so
    // without even asking the API (which would refuse too).
    const asked: string[] = [];
    b.page.on("request", (r) => r.url().includes("/api/audit") && asked.push(r.url()));
    await b.page.goto("/audit-log");
    await b.page.getByRole("heading", { name: "Access denied" }).waitFor({ timeout: TIMEOUT });
    await mainNav(b.page).waitFor();
    expect(asked).toEqual([]);
  });

  test("a reseller sees its own organization and its customers only", async () => {
    await signInAs(b.page, RESELLER);
    expect(await navLinks(b.page)).toEqual(["Organizations", "My Subscriptions", ...ACCOUNT_SETTINGS, "Payment Info", "Credit Card Status", "My Invoices", "My Transactions", "My Wallet", "My Contracts"]);
    await mainNav(b.page).getByRole("link", { name: "Organizations" }).click();
    const table = b.page.getByRole("table");
    await table.waitFor({ timeout: TIMEOUT });
    const names = (await table.getByRole("rowheader").allTextContents()).map((t) => t.trim()).sort();
    expect(names).toEqual(["Brightwater Logistics Ltd", "Helvetia Precision AG", "Northwind Cloud Partners"]);
    expect(names).not.toContain("Pampa Agro S.A.");
    // The search narrows the list (debounced, through the URL).
    await b.page.getByLabel("Search", { exact: true }).fill("Helvetia");
    await b.page.waitForURL((url) => url.searchParams.get("q") === "Helvetia", { timeout: TIMEOUT });
    await b.page.getByRole("rowheader").filter({ hasText: "Brightwater" }).waitFor({ state: "detached", timeout: TIMEOUT });
    expect((await table.getByRole("rowheader").allTextContents()).map((t) => t.trim())).toEqual(["Helvetia Precision AG"]);
    expect(unexpected(b.errors)).toEqual([]);
  });

  test("a customer user gets My Organization, which opens their organization", async () => {
    await signInAs(b.page, CUSTOMER);
    expect(await navLinks(b.page)).toEqual(["My Organization", "My Subscriptions", ...ACCOUNT_SETTINGS, "Payment Info", "My Invoices", "My Transactions", "My Wallet", "My Contracts"]);
    await mainNav(b.page).getByRole("link", { name: "My Organization" }).click();
    await b.page.getByRole("heading", { name: "Kestrel Analytics Inc.", level: 1 }).waitFor({ timeout: TIMEOUT });
    const crumbs = await b.page.getByRole("navigation", { name: "Breadcrumb" }).textContent();
    expect(crumbs?.replace(/\s+/g, " ").trim()).toBe("User Management & Services » My Organization");
    expect(await mainNav(b.page).getByRole("link", { name: "My Organization" }).getAttribute("aria-current")).toBe("page");
    // Read-only for customers: no Change Primary Contact.
    expect(await b.page.getByRole("button", { name: "Change Primary Contact" }).count()).toBe(0);
    expect(unexpected(b.errors)).toEqual([]);
  });
});

describe("Staff & Privileges", () => {
  const b = useBrowser();

  test("the Cloud-Admin grants a privilege with the keyboard and it is saved", async () => {
    const page = b.page;
    await signInAs(page, ADMIN);
    await go(page, "Staff & Privileges");
    // The Cloud-Admin's row is read-only.
    const adminRow = page.getByRole("row").filter({ hasText: "All privileges" });
    await adminRow.waitFor({ timeout: TIMEOUT });
    expect(await adminRow.getByRole("link").count()).toBe(0);

    await page.getByRole("link", { name: `Edit privileges of ${STAFF.name}` }).click();
    await page.getByRole("heading", { name: STAFF.name, level: 1 }).waitFor({ timeout: TIMEOUT });
    const staffId = decodeURIComponent(path(page).split("/").pop()!);
    const auditBox = page.getByRole("checkbox", { name: "View the audit log", exact: true });
    const before = await page.getByRole("checkbox").evaluateAll((boxes) =>
      (boxes as HTMLInputElement[]).filter((box) => box.checked).map((box) => box.value),
    );
    expect(before).not.toContain("audit.read");

    try {
      await auditBox.focus();
      await page.keyboard.press("Space");
      expect(await auditBox.isChecked()).toBe(true);
      // From the last checkbox, Tab reaches the footer's Save (after Cancel); Enter submits.
      const save = page.getByRole("button", { name: "Save", exact: true });
      for (let i = 0; i < 5 && !(await save.evaluate((el) => el === document.activeElement)); i++) await page.keyboard.press("Tab");
      expect(await save.evaluate((el) => el === document.activeElement)).toBe(true);
      await page.keyboard.press("Enter");
      await page.getByRole("status").filter({ hasText: "Privileges saved." }).waitFor({ timeout: TIMEOUT });

      await page.reload();
      await auditBox.waitFor({ timeout: TIMEOUT });
      expect(await auditBox.isChecked()).toBe(true);
      expect(unexpected(b.errors)).toEqual([]);
    } finally {
      // Put the seed back for the rest of the suite.
      const status = await page.evaluate(
        ([id, privileges]) =>
          fetch(`/api/staff/${encodeURIComponent(id as string)}/privileges`, {
            method: "PUT",
            headers: { "Content-Type": "application/json" },
            body: JSON.stringify({ privileges }),
          }).then((r) => r.status),
        [staffId, before] as const,
      );
      expect(status).toBe(200);
    }
  });
});
