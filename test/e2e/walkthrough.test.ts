/**
 * What a careful new user found walking through the portal (issue 8), each checked the way they saw it, in
 * Chromium against the seeded demo: read-only staff, errors in place, scheduled tax changes, organization pickers
 * beyond the first 100, focus after Escape, date ranges, delivery errors, countries, icons, locked fields,
 * wording, My Transactions, the Transaction Logs' first view, the Create Invoice layout and header actions.
 * Rows are found by filter or search, never by position; dates are computed from today.
 */
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Locator, Page } from "playwright-core";
import { pickOrg, useBrowser, mainNav, signInAs, go } from "./harness";
import { e2eSql } from "./users";
import { showInvoices } from "./admin-page";

const ADMIN = { email: "admin@cumulus.example", password: "Cumulus-Admin-2026" };
const STAFF_READ = { email: "olivia.bennett@cumulus.example", password: "Cumulus-Staff-2026" };
const CUSTOMER = { email: "emily.nguyen@kestrel-analytics.example", password: "Cumulus-Customer-2026" };
const TIMEOUT = 30_000;
const RUN = Date.now().toString(36);
const EXPECTED = /Failed to load resource: the server responded with a status of (401|403|500)/;
const unexpected = (errors: string[]) => errors.filter((e) => !EXPECTED.test(e));
const isoDay = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
/** Emoji, dingbats, arrows and geometric symbols: glyphs a system without an emoji font draws as empty boxes. */
const SYMBOL_GLYPH = /[\u2190-\u2BFF\u{1F000}-\u{1FAFF}]/u;



// Focus returns on the dialog's "close" event, a task after it is hidden: the checks poll for it (never a fixed wait).
const focusedLabel = (page: Page) => page.evaluate(() => document.activeElement?.getAttribute("aria-label") ?? document.activeElement?.textContent?.trim() ?? "");

describe("read-only staff and errors in place", () => {
  const b = useBrowser();

  test("Create Invoice is not offered to billing read-only staff; no write control is shown; disabled fields look it, with the reason", async () => {
    const page = b.page;
    await signInAs(page, STAFF_READ);
    await page.goto("/billing/invoices/new");
    await page.getByRole("heading", { name: "Access denied", level: 1 }).waitFor({ timeout: TIMEOUT });
    await mainNav(page).waitFor();
    expect(await page.getByText("Cumulus could not start").count()).toBe(0);
    expect(await page.getByLabel("Select Customer", { exact: true }).count()).toBe(0);

    await go(page, "Invoices", "Invoices");
    await page.getByRole("table").waitFor({ timeout: TIMEOUT });
    for (const name of ["Create", "Run billing now"]) expect(await page.getByRole("button", { name, exact: true }).count(), name).toBe(0);
    expect(await page.getByRole("button", { name: /^More actions for/ }).count()).toBe(0);

    await go(page, "Billing Configurations", "Billing Configurations");
    expect(await page.getByRole("link", { name: "Edit Tax Rule" }).count()).toBe(0);
    expect(await page.getByText("✎").count()).toBe(0);
    expect(await page.getByRole("button", { name: "Save", exact: true }).count()).toBe(0);
    const terms = page.getByLabel("Payment terms (days)");
    expect(await terms.isDisabled()).toBe(true);
    // The reason is announced with the field, and the field does not look like an editable one.
    const reasonId = (await terms.getAttribute("aria-describedby"))!.split(" ")[0]!;
    expect(await page.locator(`#${reasonId}`).textContent()).toMatch(/View only: changing these settings needs/);
    const precision = page.getByLabel("Billing Precision");
    expect(await page.locator(`#${(await precision.getAttribute("aria-describedby"))!.split(" ")[0]}`).textContent()).toMatch(/Locked: invoices have already been issued/);
    const look = (l: Locator) => l.evaluate((el) => { const s = getComputedStyle(el); return `${s.borderTopStyle} ${s.backgroundImage === "none" ? s.backgroundColor : "pattern"}`; });
    const fixedLook = await look(terms);
    expect(fixedLook).toBe("dashed pattern");
    await page.getByRole("link", { name: "View tax rules" }).click();
    await page.getByRole("heading", { name: "Tax Rule", level: 1 }).waitFor({ timeout: TIMEOUT });
    await page.getByRole("row").filter({ hasText: "UK VAT" }).waitFor({ timeout: TIMEOUT });
    expect(await page.getByRole("button", { name: /^(Edit|Delete) / }).count()).toBe(0);
    expect(await page.getByRole("button", { name: "Create Rule" }).count()).toBe(0);

    // A field the same person can edit (their own profile) looks different.
    await go(page, "Personal Profile", "Personal Profile");
    await page.getByRole("button", { name: "Change" }).click();
    await page.getByLabel("City").waitFor({ timeout: TIMEOUT });
    expect(await look(page.getByLabel("City"))).not.toBe(fixedLook);
    expect(unexpected(b.errors)).toEqual([]);
  });

  test("a request that fails on a page shows its error in place, never the app-level crash screen", async () => {
    const page = b.page;
    await signInAs(page, ADMIN);
    // contract-options refused (as it is for read-only staff): the message sits under "Select Contract".
    await page.route("**/api/invoices/contract-options**", (route) =>
      route.fulfill({ status: 403, contentType: "application/json", body: JSON.stringify({ error: { code: "FORBIDDEN", message: "You do not have the privilege for this action.", requestId: "req_01J0000000000000000000TEST" } }) }),
    );
    await page.goto("/billing/invoices/new");
    await page.getByRole("heading", { name: "Create Invoice", level: 1 }).waitFor({ timeout: TIMEOUT });
    await pickOrg(page, "Select Customer", "Brightwater Logistics Ltd", "Brightwater");
    await page.getByText(/The contracts could not be loaded: You do not have the privilege/).waitFor({ timeout: TIMEOUT });
    expect(await page.getByLabel("Select Contract").getAttribute("aria-describedby")).toBe("contractId-error");
    expect(await page.getByRole("heading", { name: "Create Invoice", level: 1 }).count()).toBe(1);
    expect(await page.getByText("Cumulus could not start").count()).toBe(0);

    // A page whose own data fails: the page area says so, the menu stays, and the next page works.
    await page.route("**/api/tax-rules", (route) => route.fulfill({ status: 500, contentType: "application/json", body: JSON.stringify({ error: { code: "INTERNAL", message: "Something went wrong on our side.", requestId: "req_01J0000000000000000000TES2" } }) }));
    await page.goto("/billing/configurations");
    await page.getByText("This page could not be shown.").waitFor({ timeout: TIMEOUT });
    await page.getByText("Something went wrong on our side.").waitFor();
    await mainNav(page).waitFor();
    expect(await page.getByText("Cumulus could not start").count()).toBe(0);
    await go(page, "Invoices", "Invoices");
    await page.getByRole("table").waitFor({ timeout: TIMEOUT });
  });
});

describe("tax rules, countries and icons", () => {
  const b = useBrowser();

  test("Edit → Suspend keeps a scheduled rate change, shown in the drawer; it goes only when removed on purpose", async () => {
    const page = b.page;
    const name = `Walkthrough VAT ${RUN}`;
    await signInAs(page, ADMIN);
    await page.goto("/billing/tax-rules");
    await page.getByRole("heading", { name: "Tax Rule", level: 1 }).waitFor({ timeout: TIMEOUT });

    // The manual's "top right corner of the header".
    const header = await page.locator(".page-title-row").first().boundingBox();
    const create = await page.getByRole("button", { name: "Create Rule" }).boundingBox();
    const title = await page.getByRole("heading", { name: "Tax Rule", level: 1 }).boundingBox();
    expect(Math.abs(create!.x + create!.width - (header!.x + header!.width))).toBeLessThan(2);
    expect(create!.x).toBeGreaterThan(title!.x + title!.width + 100);

    await page.getByRole("button", { name: "Create Rule" }).click();
    const drawer = page.getByRole("dialog", { name: "Create Tax Rule" });
    // One ISO 3166-1 list: every officially assigned code, no withdrawn or reserved ones, no duplicate names.
    const values = await drawer.getByLabel("Country").locator("option").evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value).filter(Boolean));
    expect(values).toHaveLength(249);
    for (const gone of ["DD", "SU", "YU", "UK", "FX", "CS", "AN", "XK"]) expect(values, gone).not.toContain(gone);
    const names = await drawer.getByLabel("Country").locator("option").allTextContents();
    expect(new Set(names).size).toBe(names.length);
    await drawer.getByLabel("Rule Name").fill(name);
    await drawer.getByLabel("Country").selectOption("MT");
    await drawer.getByLabel("Tax Rate %").fill("23");
    await drawer.getByRole("button", { name: "Save" }).click();
    const row = page.getByRole("row").filter({ has: page.getByRole("rowheader", { name }) });
    await row.waitFor({ timeout: TIMEOUT });

    // Edit: 10 % from a date a month ahead.
    const later = isoDay(31);
    await page.getByRole("button", { name: `Edit ${name}` }).click();
    const edit = page.getByRole("dialog", { name: "Edit Tax Rule" });
    await edit.getByLabel(/^Tax Rate %/).fill("10");
    await edit.getByLabel("Rate effective from").fill(later);
    await edit.getByRole("button", { name: "Save" }).click();
    await row.getByText(/^10 % from /).waitFor({ timeout: TIMEOUT });
    const scheduled = (await row.getByText(/^10 % from /).textContent())!;

    // Edit → Suspend → Save: the drawer shows the pending change; saving keeps it.
    await page.getByRole("button", { name: `Edit ${name}` }).click();
    await edit.getByText("Scheduled change", { exact: true }).waitFor({ timeout: TIMEOUT });
    expect(await edit.getByText(scheduled).count()).toBe(1);
    expect(await edit.getByLabel(/^Tax Rate %/).inputValue()).toBe("23");
    await edit.getByLabel("Suspend").check();
    await edit.getByRole("button", { name: "Save" }).click();
    await row.getByText("Suspended").waitFor({ timeout: TIMEOUT });
    expect(await row.getByText(scheduled).count()).toBe(1);

    // Removing it is a choice of its own.
    await page.getByRole("button", { name: `Edit ${name}` }).click();
    await edit.getByLabel("Remove the scheduled change").check();
    await edit.getByRole("button", { name: "Save" }).click();
    await row.getByText(scheduled).waitFor({ state: "detached", timeout: TIMEOUT });

    // Icons are drawn, not font glyphs.
    const del = page.getByRole("button", { name: `Delete ${name}` });
    expect(await del.locator("svg").count()).toBe(1);
    expect(await page.getByRole("button", { name: `Edit ${name}` }).locator("svg").count()).toBe(1);
    for (const text of await page.getByRole("button").allTextContents()) expect(text, text).not.toMatch(SYMBOL_GLYPH);
    await del.click();
    await page.getByRole("dialog", { name: "Delete tax rule?" }).getByRole("button", { name: "Confirm" }).click();
    await row.waitFor({ state: "detached", timeout: TIMEOUT });
    expect(unexpected(b.errors)).toEqual([]);
  });

  test("no screen uses a symbol font glyph as an icon; the profile's countries are the same ISO list", async () => {
    const page = b.page;
    await signInAs(page, ADMIN);
    for (const [path, heading] of [["/billing/invoices", "Invoices"], ["/email/templates", "Email Templates"], ["/billing/configurations", "Billing Configurations"]] as const) {
      await page.goto(path);
      await page.getByRole("heading", { name: heading, level: 1 }).waitFor({ timeout: TIMEOUT });
      await page.locator("main table, main form").first().waitFor({ timeout: TIMEOUT });
      const texts = await page.locator("main").getByRole("button").or(page.locator("main").getByRole("link")).allTextContents();
      for (const text of texts) expect(text, `${path}: ${text}`).not.toMatch(SYMBOL_GLYPH);
    }
    await page.goto("/account/profile");
    await page.getByRole("button", { name: "Change" }).click();
    const values = await page.getByLabel("Country").locator("option").evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value).filter(Boolean));
    expect(values).toHaveLength(249);
    for (const gone of ["DD", "SU", "YU", "UK", "FX"]) expect(values).not.toContain(gone);
  });
});

describe("organization pickers beyond the first 100", () => {
  const b = useBrowser();
  const TARGET = `Zz Picker Target ${RUN}`;
  const ids: string[] = [];

  beforeAll(async () => {
    // 105 organizations that sort before the target: the first 100 by name never include it.
    const now = Date.now();
    const rows: string[] = [];
    for (let i = 0; i <= 105; i++) {
      const id = `org_${Array.from(randomBytes(26), (x) => "0123456789ABCDEFGHJKMNPQRSTVWXYZ"[x & 31]).join("")}`;
      ids.push(id);
      const name = i === 105 ? TARGET : `Zy Picker Filler ${RUN} ${String(i).padStart(3, "0")}`;
      rows.push(`('${id}', 'customer', '${name}', NULL, 'active', 'GB', 'Leeds', NULL, NULL, 'Europe/London', NULL, ${now}, ${now})`);
    }
    await e2eSql(`INSERT INTO organizations (id, kind, name, reseller_id, status, country, city, phone, email, time_zone, primary_user_id, created_at, updated_at) VALUES ${rows.join(", ")};`);
  });
  afterAll(async () => {
    if (ids.length) await e2eSql(`DELETE FROM organizations WHERE id IN (${ids.map((id) => `'${id}'`).join(", ")});`);
  });

  test("Invoices, Create Invoice and the template editor find any organization by name", async () => {
    const page = b.page;
    await signInAs(page, ADMIN);
    await go(page, "Invoices", "Invoices");
    expect(await page.getByLabel("Organization", { exact: true }).locator("option", { hasText: TARGET }).count()).toBe(0);
    await pickOrg(page, "Organization", TARGET, "Zz Picker");
    await page.getByRole("button", { name: "Apply" }).click();
    await page.waitForURL((u) => Boolean(u.searchParams.get("orgId")), { timeout: TIMEOUT });
    await page.getByText("No invoices match these filters.").waitFor({ timeout: TIMEOUT });
    // After a reload the chosen organization is still shown, though it is not among the first 100.
    await page.reload();
    await page.getByLabel("Organization", { exact: true }).locator("option:checked", { hasText: TARGET }).waitFor({ state: "attached", timeout: TIMEOUT });

    await page.goto("/billing/invoices/new");
    await page.getByRole("heading", { name: "Create Invoice", level: 1 }).waitFor({ timeout: TIMEOUT });
    await pickOrg(page, "Select Customer", TARGET, "Zz Picker");
    // Its country's tax rule is the one the preview applies.
    await page.getByRole("button", { name: "Add manual item" }).click();
    await page.getByLabel("Description of item 1").fill("Picker check");
    await page.getByLabel("Unit price of item 1").fill("10");
    await page.getByLabel("Totals preview").getByText("UK VAT").waitFor({ timeout: TIMEOUT });

    await page.goto("/email/templates/invoice.issued");
    await page.getByRole("button", { name: "Send Test Email" }).click();
    const drawer = page.getByRole("dialog", { name: "Send Test Email" });
    await pickOrg(drawer, "Fill tags with data of", TARGET, "Zz Picker");
    expect(unexpected(b.errors)).toEqual([]);
  });
});

describe("dialogs, date ranges and delivery errors", () => {
  const b = useBrowser();

  test("Escape returns focus to the control that opened every drawer and dialog; the cancel dialog says what each button does", async () => {
    const page = b.page;
    await signInAs(page, ADMIN);
    // An open invoice of the seeded customer in arrears (found by filters, whichever it is).
    await showInvoices(page, { org: "Lima Retail Group S.A.C.", status: "unpaid" });
    const more = page.getByRole("button", { name: /^More actions for INV-/ }).first();
    await more.waitFor({ timeout: TIMEOUT });
    const label = (await more.getAttribute("aria-label"))!;
    const number = label.replace("More actions for ", "");

    await more.click();
    await page.getByRole("menuitem", { name: "Adjust Offline" }).click();
    await page.getByRole("dialog", { name: "Adjust Invoice Offline" }).waitFor({ timeout: TIMEOUT });
    await page.keyboard.press("Escape");
    await page.getByRole("dialog", { name: "Adjust Invoice Offline" }).waitFor({ state: "hidden", timeout: TIMEOUT });
    await expect.poll(() => focusedLabel(page), { timeout: 5_000 }).toBe(label);

    await more.click();
    await page.getByRole("menuitem", { name: "Cancel Invoice" }).click();
    const confirm = page.getByRole("dialog", { name: `Cancel invoice ${number}?` });
    await confirm.waitFor({ timeout: TIMEOUT });
    expect((await confirm.getByRole("button").allTextContents()).map((t) => t.trim())).toEqual(["Keep invoice", "Cancel invoice"]);
    await page.keyboard.press("Escape");
    await confirm.waitFor({ state: "hidden", timeout: TIMEOUT });
    await expect.poll(() => focusedLabel(page), { timeout: 5_000 }).toBe(label);
    // "Keep invoice" keeps it.
    await more.click();
    await page.getByRole("menuitem", { name: "Cancel Invoice" }).click();
    await confirm.getByRole("button", { name: "Keep invoice" }).click();
    await confirm.waitFor({ state: "hidden", timeout: TIMEOUT });
    await expect.poll(() => focusedLabel(page), { timeout: 5_000 }).toBe(label);
    expect(await page.getByRole("row").filter({ hasText: number }).getByText("Unpaid", { exact: true }).count()).toBe(1);

    await page.goto("/billing/tax-rules");
    await page.getByRole("button", { name: "Create Rule" }).click();
    await page.getByRole("dialog", { name: "Create Tax Rule" }).waitFor({ timeout: TIMEOUT });
    await page.keyboard.press("Escape");
    await expect.poll(() => focusedLabel(page), { timeout: 5_000 }).toBe("Create Rule");
    await page.getByRole("button", { name: "Delete UK VAT" }).click();
    await page.keyboard.press("Escape");
    await expect.poll(() => focusedLabel(page), { timeout: 5_000 }).toBe("Delete UK VAT");
  });

  test("To before From: the same inline message under To on Invoices, Transaction Logs and Audit Log", async () => {
    const page = b.page;
    await signInAs(page, ADMIN);
    const from = isoDay(-10);
    const to = isoDay(-20);
    const expectInline = async (toLabel: string) => {
      const field = page.getByLabel(toLabel, { exact: true });
      const message = page.locator(`#${(await field.getAttribute("aria-describedby"))!}`);
      expect(await message.textContent()).toBe("To must be the same day as From or later.");
      expect(await field.getAttribute("aria-invalid")).toBe("true");
      expect(await page.getByText("No invoices match these filters.").count()).toBe(0);
      expect(await page.getByText("This could not be loaded.").count()).toBe(0);
    };

    await go(page, "Invoices", "Invoices");
    await page.getByLabel("Issued from").fill(from);
    await page.getByLabel("Issued to").fill(to);
    await page.getByRole("button", { name: "Apply" }).click();
    await page.getByText("To must be the same day as From or later.").waitFor({ timeout: TIMEOUT });
    await expectInline("Issued to");
    expect(new URL(page.url()).searchParams.get("to")).toBeNull();
    // The same range typed into the address.
    await page.goto(`/billing/invoices?from=${from}&to=${to}`);
    await page.getByText("To must be the same day as From or later.").waitFor({ timeout: TIMEOUT });
    await expectInline("Issued to");

    await go(page, "Transaction Logs", "Transaction Logs");
    await page.getByLabel("From", { exact: true }).fill(from);
    await page.getByLabel("To", { exact: true }).fill(to);
    await page.getByText("To must be the same day as From or later.").waitFor({ timeout: TIMEOUT });
    await expectInline("To");
    await page.goto(`/transactions?from=${from}&to=${to}`);
    await page.getByText("To must be the same day as From or later.").waitFor({ timeout: TIMEOUT });
    await expectInline("To");

    await go(page, "Audit Log", "Audit Log");
    await page.getByLabel("From", { exact: true }).fill(from);
    await page.getByLabel("To", { exact: true }).fill(to);
    await page.getByRole("button", { name: "Apply filters" }).click();
    await page.getByText("To must be the same day as From or later.").waitFor({ timeout: TIMEOUT });
    await expectInline("To");
  });

  test("Delivery Configuration says which row and which address is wrong", async () => {
    const page = b.page;
    await signInAs(page, ADMIN);
    await go(page, "Delivery Configuration", "Delivery Configuration");
    await page.getByLabel("BCC Invoice Issued to", { exact: true }).fill("billing@cumulus.example, foo@");
    await page.getByLabel("BCC Dunning Warning to", { exact: true }).fill("bar@, baz");
    await page.getByRole("button", { name: "Save" }).click();
    const summary = page.getByRole("alert").filter({ hasText: "The delivery settings were not saved." });
    await summary.waitFor({ timeout: TIMEOUT });
    const items = (await summary.getByRole("listitem").allTextContents()).map((t) => t.trim());
    expect(items.sort()).toEqual(["Dunning Warning, BCC to: “bar@” and “baz” are not valid email addresses.", "Invoice Issued, BCC to: “foo@” is not a valid email address."]);
    const field = page.getByLabel("BCC Invoice Issued to", { exact: true });
    expect(await page.locator(`#${(await field.getAttribute("aria-describedby"))!.replace(".", "\\.")}`).textContent()).toBe("“foo@” is not a valid email address.");
    expect(await page.getByText("Enter a valid email address.").count()).toBe(0);
  });
});

describe("wording, money views and layout", () => {
  const b = useBrowser();

  test("quantities and prices read right; dates look the same in lists and drop-downs", async () => {
    const page = b.page;
    await signInAs(page, ADMIN);
    await showInvoices(page, { org: "Brightwater Logistics Ltd" });
    const listed = page.getByRole("row").filter({ hasText: "INV-" }).first();
    await listed.waitFor({ timeout: TIMEOUT });
    const listDate = (await listed.getByRole("cell").nth(4).textContent())!.trim();
    const shape = (s: string) => s.replace(/\d+/g, "9").replace(/\p{L}+/gu, "M");

    // Seeded history: a monthly fee reads "1 month" at "€49.00"; usage reads "… vCPU-hours" at "€0.0125".
    const invoiceCells = async (org: string) => {
      await page.goto("/billing/invoices");
      await pickOrg(page, "Organization", org, org.split(" ")[0]!);
      await page.getByRole("button", { name: "Apply" }).click();
      await page.waitForURL((u) => Boolean(u.searchParams.get("orgId")), { timeout: TIMEOUT });
      await page.getByRole("row").filter({ hasText: org }).getByRole("link", { name: /^INV-/ }).first().click();
      await page.getByRole("heading", { name: "Invoiced Items" }).waitFor({ timeout: TIMEOUT });
      return (await page.getByRole("table").getByRole("cell").allTextContents()).map((c) => c.trim());
    };
    const fixed = await invoiceCells("Northwind Cloud Partners");
    expect(fixed).toContain("1 month");
    expect(fixed).toContain("€49.00");
    const usage = await invoiceCells("Kestrel Analytics Inc.");
    expect(usage.some((c) => /^\d+(\.\d+)? vCPU-hours$/.test(c))).toBe(true);
    expect(usage).toContain("€0.0125");

    // Contract options use the list's date format, never YYYY-MM-DD.
    await page.goto("/billing/invoices/new");
    await pickOrg(page, "Select Customer", "Brightwater Logistics Ltd", "Brightwater");
    const option = page.getByLabel("Select Contract").locator("option", { hasText: "Business" });
    await option.waitFor({ state: "attached", timeout: TIMEOUT });
    const text = (await option.textContent())!;
    expect(text).not.toMatch(/\d{4}-\d{2}-\d{2}/);
    expect(shape(text.match(/from (.+?)\)/)![1]!)).toBe(shape(listDate));
    await page.getByLabel("Select Contract").selectOption({ index: 1 });
    await page.getByLabel("Item from the contract").locator("option", { hasText: "€" }).first().waitFor({ state: "attached", timeout: TIMEOUT });
    const products = await page.getByLabel("Item from the contract").locator("option").allTextContents();
    expect(products.filter((p) => p.includes("€")).length).toBe(products.length - 1);
    expect(products.some((p) => /€\d+\.\d{2} \/ month/.test(p))).toBe(true);

    // Create Invoice: Invoicing Period and Invoiced Items have room.
    const due = await page.getByLabel("Due Date").boundingBox();
    const period = await page.getByText("Invoicing Period", { exact: true }).boundingBox();
    expect(period!.y).toBeGreaterThanOrEqual(due!.y + due!.height + 12);
    const to = await page.getByLabel("To", { exact: true }).boundingBox();
    const items = await page.locator("section", { has: page.getByRole("heading", { name: "Invoiced Items" }) }).boundingBox();
    expect(items!.y).toBeGreaterThanOrEqual(to!.y + to!.height + 12);

    // Invoices: "Create" in the top right corner of the header.
    await page.goto("/billing/invoices");
    const header = await page.locator(".page-title-row").first().boundingBox();
    const create = await page.getByRole("button", { name: "Create", exact: true }).boundingBox();
    expect(Math.abs(create!.x + create!.width - (header!.x + header!.width))).toBeLessThan(2);
  });

  test("Transaction Logs opens on what happened (seeded history), and an empty result says so once", async () => {
    const page = b.page;
    await signInAs(page, ADMIN);
    await go(page, "Transaction Logs", "Transaction Logs");
    await page.getByRole("table", { name: "Transactions" }).waitFor({ timeout: TIMEOUT });
    expect(await page.getByTestId("total-income").textContent()).not.toBe("€0.00");
    await page.getByRole("cell", { name: "Invoice issued" }).first().waitFor();
    await page.getByRole("cell", { name: "Offline payment" }).first().waitFor();
    expect(await page.getByLabel("Show invoice issue/cancel postings").isChecked()).toBe(true);
    expect(await page.locator(".empty-state").count()).toBe(0);

    await page.getByLabel("Search reference").fill(`no-such-reference-${RUN}`);
    await page.getByText("No transactions match these filters.").waitFor({ timeout: TIMEOUT });
    expect(await page.locator(".empty-state").count()).toBe(1);
    expect(await page.getByText(/No transactions/).count()).toBe(1);
    expect(await page.getByTestId("total-income").count()).toBe(0);
  });

  test("a customer's own payments read from the customer's side in My Transactions", async () => {
    const page = b.page;
    await signInAs(page, CUSTOMER);
    await go(page, "My Transactions", "My Transactions");
    await page.getByTestId("total-income").waitFor({ timeout: TIMEOUT });
    const terms = await page.locator("main dt").allTextContents();
    expect(terms).toContain("Payments and credits");
    expect(terms).not.toContain("Income");
    expect(await page.getByRole("cell", { name: "Inbound", exact: true }).count()).toBe(0);
    await page.getByRole("cell", { name: "Payment or credit" }).first().waitFor();
    const directions = await page.getByLabel("Direction").locator("option").allTextContents();
    expect(directions).toContain("Payments and credits");
    expect(directions.join(" ")).not.toMatch(/income|expenses|Inbound/i);
  });
});
