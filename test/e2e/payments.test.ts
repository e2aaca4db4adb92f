/**
 * Payments in Chromium: the Stripe drawer with Verify (Billing Configurations » Payment Gateways), then a
 * customer's Payment Info: Add a Card through Stripe.js's hosted fields (iframes of the local Stripe's origin),
 * a decline, Set as Default and remove with confirmation.
 */
import { describe, expect, test } from "vitest";
import type { Page } from "playwright-core";
import { LOCAL_STRIPE_KEYS } from "../fakes/stripe/keys";
import { signIn, useBrowser } from "./harness";
import { newUsers } from "./users";
import { addCard, typeCard } from "./stripe-fields";

const ADMIN = { email: "admin@cumulus.example", password: "Cumulus-Admin-2026" };
/** The session probe before sign-in (401) and the declined card's API answer (402) are expected, nothing else. */
const unexpected = (errors: string[]) => errors.filter((e) => !/Failed to load resource: the server responded with a status of (401|402)/.test(e));
/** A fresh customer signs in and follows the Payment Info link (no card yet). */
async function asNewCustomerOnPaymentInfo(page: Page, label: string): Promise<void> {
  const [user] = await newUsers(label, 1);
  await page.goto("/");
  await signIn(page, user!.email, user!.password);
  await page.getByRole("link", { name: "Payment Info" }).first().click();
  await page.getByRole("heading", { name: "Payment Info" }).waitFor();
}

describe("payments", () => {
  const b = useBrowser();

  test("the Stripe drawer saves the keys and Verify answers in words", async () => {
    const { page } = b;
    await page.goto("/");
    await signIn(page, ADMIN.email, ADMIN.password);
    await page.goto("/billing/configurations");
    await page.getByRole("link", { name: "Edit Payment Gateways" }).click();
    await page.getByRole("button", { name: "Edit Stripe" }).click();
    const drawer = page.getByRole("dialog", { name: "Stripe" });
    await drawer.getByRole("switch", { name: "Enable" }).check();
    await drawer.getByLabel("Public Key").fill(LOCAL_STRIPE_KEYS.publishableKey);
    await drawer.getByLabel("Secret Key").fill(LOCAL_STRIPE_KEYS.secretKey);
    await drawer.getByLabel("Webhook Signing Secret").fill(LOCAL_STRIPE_KEYS.webhookSecret);
    await drawer.getByRole("button", { name: "Verify" }).click();
    await expect.poll(() => page.getByRole("status").filter({ hasText: "credentials work" }).count(), { timeout: 15_000 }).toBe(1);
    const row = page.getByRole("row", { name: /Stripe/ });
    await expect.poll(() => row.textContent()).toMatch(/Enabled.*Test/);
    expect(await page.content()).not.toContain(LOCAL_STRIPE_KEYS.secretKey);
    expect(unexpected(b.errors)).toEqual([]);
  });

  test("a customer adds cards in Stripe's fields, sees a decline, sets the default and removes a card", async () => {
    const { page } = b;
    await asNewCustomerOnPaymentInfo(page, "pay");
    await expect.poll(() => page.getByText("Protected by Stripe").count()).toBeGreaterThan(0);

    await addCard(page, "4242424242424242");
    await page.getByText("VISA ending in 4242 was saved.").waitFor({ timeout: 20_000 });
    const visa = page.getByRole("row", { name: /VISA •••• 4242/ });
    expect(await visa.textContent()).toMatch(/Default/);

    await addCard(page, "4000000000000002");
    await page.getByRole("dialog", { name: "Add a Card" }).getByText(/declined/i).waitFor({ timeout: 20_000 });
    await page.getByRole("dialog", { name: "Add a Card" }).getByRole("button", { name: "Cancel" }).click();

    await addCard(page, "5555555555554444");
    await page.getByText("Master Card ending in 4444 was saved.").waitFor({ timeout: 20_000 });
    await page.getByRole("button", { name: "Set Master Card ending in 4444 as default" }).click();
    await page.getByText("Master Card ending in 4444 is now your default card.").waitFor();

    await page.getByRole("button", { name: "Remove VISA ending in 4242" }).click();
    await page.getByRole("dialog", { name: "Remove card?" }).getByRole("button", { name: "Remove" }).click();
    await page.getByText("VISA ending in 4242 was removed.").waitFor();
    expect(await page.getByRole("row", { name: /VISA •••• 4242/ }).count()).toBe(0);
    expect(unexpected(b.errors)).toEqual([]);
  });
  test("a customer updates a card's name and expiry, then replaces it with another card", async () => {
    const { page } = b;
    await asNewCustomerOnPaymentInfo(page, "payupd");
    await addCard(page, "4242424242424242");
    await page.getByText("VISA ending in 4242 was saved.").waitFor({ timeout: 20_000 });

    await page.getByRole("button", { name: "Update VISA ending in 4242" }).click();
    const update = page.getByRole("dialog", { name: "Update VISA •••• 4242" });
    await update.getByLabel("Expiry Date").fill("13/30");
    await update.getByRole("button", { name: "Save" }).click();
    await update.getByText("Enter the expiry date as MM/YY.").waitFor();
    const year = new Date().getUTCFullYear() + 6;
    await update.getByLabel("Cardholder Name").fill("Erin Updated");
    await update.getByLabel("Expiry Date").fill(`08/${String(year % 100).padStart(2, "0")}`);
    await update.getByRole("button", { name: "Save" }).click();
    await page.getByText("VISA ending in 4242 was updated.").waitFor({ timeout: 20_000 });
    const visa = page.getByRole("row", { name: /VISA •••• 4242/ });
    await expect.poll(() => visa.textContent()).toMatch(new RegExp(`Erin Updated.*08/${year}`));

    await page.getByRole("button", { name: "Replace VISA ending in 4242" }).click();
    const replace = page.getByRole("dialog", { name: "Replace VISA •••• 4242" });
    await replace.getByLabel("Cardholder Name").fill("Erin Example");
    await typeCard(page, "4000056655665556");
    await replace.getByRole("button", { name: "Save" }).click();
    const confirm = page.getByRole("dialog", { name: "Remove the old card?" });
    await confirm.waitFor({ timeout: 20_000 });
    expect(await confirm.textContent()).toContain("VISA ending in 5556 is now your default card.");
    await confirm.getByRole("button", { name: "Remove" }).click();
    await page.getByText("VISA ending in 4242 was removed.").waitFor();
    expect(await page.getByRole("row", { name: /VISA •••• 4242/ }).count()).toBe(0);
    expect(await page.getByRole("row", { name: /VISA •••• 5556/ }).textContent()).toMatch(/Default/);
    expect(unexpected(b.errors)).toEqual([]);
  });
});
