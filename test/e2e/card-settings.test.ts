/**
 * Credit Card Settings in Chromium (Billing Configurations): field errors, the exemption chosen with the
 * organization picker, Save, and the values read back after a reload. The settings are global: every test
 * here puts the defaults back, so the other E2E files see cards neither enforced nor charged.
 */
import { afterEach, describe, expect, test } from "vitest";
import type { Page } from "playwright-core";
import { LOCAL_STRIPE_KEYS } from "../fakes/stripe/keys";
import { newPage, pickOrg, signIn, useBrowser } from "./harness";
import { addCard } from "./stripe-fields";
import { e2eSql, newUser } from "./users";

const ADMIN = { email: "admin@cumulus.example", password: "Cumulus-Admin-2026" };
/** A JSON call from a signed-in page (its session cookie, same origin). */
async function api(page: Page, method: string, path: string, body: unknown): Promise<void> {
  const res = await page.evaluate(async ([m, p, b]) => {
    const r = await fetch(p as string, { method: m as string, headers: { "content-type": "application/json" }, body: JSON.stringify(b) });
    return { status: r.status, text: await r.text() };
  }, [method, path, body] as const);
  if (res.status >= 300) throw new Error(`${method} ${path} → ${res.status}: ${res.text}`);
}

const restoreDefaults = () => e2eSql("DELETE FROM credit_card_settings;");

describe("Credit Card Settings", () => {
  const b = useBrowser();
  afterEach(restoreDefaults);

  test("the admin saves the settings by keyboard and mouse; a bad amount is refused on its field", async () => {
    const { page } = b;
    await page.goto("/");
    await signIn(page, ADMIN.email, ADMIN.password);
    await page.goto("/billing/configurations");
    const section = page.getByRole("region", { name: "Credit Card Settings" });
    await section.getByLabel("Enforce Credit Card").check();
    await section.getByLabel("Except Trial Customer").check();
    await section.getByLabel("Link Multiple Accounts with Credit Cards").uncheck();
    await section.getByLabel("Validity Deduction From Credit Card").check();
    await section.getByLabel(/^Validity Deduction \(/).fill("1.234");
    await section.getByRole("button", { name: "Save Credit Card Settings" }).click();
    await section.locator("#validityDeduction-error").getByText(/Use at most 2 decimals/).waitFor();
    expect(await section.getByLabel(/^Validity Deduction \(/).getAttribute("aria-invalid")).toBe("true");
    await section.getByLabel(/^Validity Deduction \(/).fill("2.00");
    await section.getByLabel("No of Decline Payments Allowed").fill("4");
    await pickOrg(section, "Organization to exempt", "Helvetia Precision AG", "Helvetia");
    await section.getByRole("button", { name: "Add to exemption" }).click();
    await section.getByRole("list", { name: "Exempted organizations" }).getByText("Helvetia Precision AG").waitFor();
    await section.getByRole("button", { name: "Save Credit Card Settings" }).press("Enter");
    await section.getByText("Credit Card Settings saved.").waitFor();

    await page.reload();
    const again = page.getByRole("region", { name: "Credit Card Settings" });
    await again.getByLabel("No of Decline Payments Allowed").waitFor();
    expect(await again.getByLabel("Enforce Credit Card").isChecked()).toBe(true);
    expect(await again.getByLabel("Except Trial Customer").isChecked()).toBe(true);
    expect(await again.getByLabel("Link Multiple Accounts with Credit Cards").isChecked()).toBe(false);
    expect(await again.getByLabel(/^Validity Deduction \(/).inputValue()).toBe("2.00");
    expect(await again.getByLabel("No of Decline Payments Allowed").inputValue()).toBe("4");
    expect(await again.getByRole("list", { name: "Exempted organizations" }).textContent()).toContain("Helvetia Precision AG");
    expect(b.errors.filter((e) => !/status of 401/.test(e))).toEqual([]);
  });

  test("with Enforce Credit Card on, a customer without a card is taken to Payment Info until it adds one", async () => {
    const admin = await newPage(b.browser);
    await admin.page.goto("/");
    await signIn(admin.page, ADMIN.email, ADMIN.password);
    await admin.page.waitForURL((u) => !u.pathname.startsWith("/sign-in"));
    await api(admin.page, "PUT", "/api/billing/payment-gateways/stripe", { enabled: true, publicKey: LOCAL_STRIPE_KEYS.publishableKey, secretKey: LOCAL_STRIPE_KEYS.secretKey,
      webhookSecret: LOCAL_STRIPE_KEYS.webhookSecret, acceptedBrands: ["visa", "mastercard", "amex", "discover"], securityBadge: true });
    await api(admin.page, "PUT", "/api/billing/card-settings", { enforceCard: true, exceptTrialCustomer: false, exemptOrgIds: [], linkMultipleAccounts: true,
      validityDeductionEnabled: false, validityDeduction: "", declineLimit: 3 });
    await admin.context.close();

    const { page } = b;
    const user = await newUser("enforce", "Helvetia Precision AG");
    await page.goto("/");
    await signIn(page, user.email, user.password);
    await page.waitForURL("**/billing/payment-info", { timeout: 30_000 });
    await page.getByText(/requires a valid credit or debit card/).waitFor();
    // Any other page brings the user back here.
    await page.goto("/billing/invoices");
    await page.waitForURL("**/billing/payment-info", { timeout: 30_000 });
    // The account stays reachable.
    await page.goto("/account/profile");
    await page.waitForTimeout(500);
    expect(new URL(page.url()).pathname).toBe("/account/profile");

    await page.goto("/billing/payment-info");
    await addCard(page, "4242424242424242");
    await page.getByText("VISA ending in 4242 was saved.").waitFor({ timeout: 20_000 });
    await expect.poll(() => page.getByText(/requires a valid credit or debit card/).count()).toBe(0);
    await page.getByRole("link", { name: "My Invoices" }).first().click();
    await page.waitForURL("**/billing/invoices");
    await page.waitForTimeout(500);
    expect(new URL(page.url()).pathname).toBe("/billing/invoices");
  });
});
