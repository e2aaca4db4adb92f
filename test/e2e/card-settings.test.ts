/**
 * Credit Card Settings in Chromium (Billing Configurations): field errors, the exemption chosen with the
 * organization picker, Save, and the values read back after a reload. The settings are global: every test
 * here puts the defaults back, so the other E2E files see cards neither enforced nor charged.
 */
import { afterEach, describe, expect, test } from "vitest";
import { pickOrg, signIn, useBrowser } from "./harness";
import { e2eSql } from "./users";

const ADMIN = { email: "admin@cumulus.example", password: "Cumulus-Admin-2026" };
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
});
