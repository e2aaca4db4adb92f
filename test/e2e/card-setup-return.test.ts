/**
 * Add a Card with 3-D Secure in Chromium (docs/decisions/016-payments.md): the bank's page is a redirect
 * (SetupIntent with return_url); back on Payment Info the page asks the server, which asks the gateway, and says
 * "Card added" with the card in the list, or "Your bank did not confirm the card" when the check failed.
 */
import { describe, expect, test } from "vitest";
import type { Page } from "playwright-core";
import { useAdminPage } from "./admin-page";
import { api, signInAs } from "./dunning-helpers";
import { useBrowser } from "./harness";
import { addCard, stripeCustomer } from "./stripe-fields";

const TIMEOUT = 30_000;

describe("Add a Card: the 3-D Secure return", () => {
  const b = useBrowser();
  const cloud = useAdminPage(b);

  // Two 3-D Secure test cards: Add a Card allows 5 attempts per card fingerprint and hour (card-testing
  // protection), and other E2E files add …3184 too; one number for both tests tripped it in CI.
  async function toBank(page: Page, number = "4000002760003184") {
    const admin = cloud.page;
    await signInAs(page, (await stripeCustomer(admin, "3DS return")).user);
    await page.goto("/billing/payment-info");
    await page.getByRole("heading", { name: "Payment Info", level: 1 }).waitFor({ timeout: TIMEOUT });
    await addCard(page, number);
  }

  test("the bank confirms: 'Card added' and the card is in the list", async () => {
    const { page } = b;
    await toBank(page);
    await page.getByRole("button", { name: "Complete authentication" }).click({ timeout: TIMEOUT });
    await page.getByText("Card added: Visa •••• 3184.").waitFor({ timeout: TIMEOUT });
    await page.getByRole("cell", { name: /3184/ }).first().waitFor({ timeout: TIMEOUT });
    expect(new URL(page.url()).searchParams.get("setup_intent")).toBeNull();
    expect((await api<{ cards: Array<{ last4: string }> }>(page, "GET", "/api/payment-info")).body.cards.map((c) => c.last4)).toEqual(["3184"]);
  });

  test("the bank does not confirm: said in words, no card saved", async () => {
    const { page } = b;
    await toBank(page, "4000002500003155");
    await page.getByRole("button", { name: "Fail authentication" }).click({ timeout: TIMEOUT });
    await page.getByText("Your bank did not confirm the card.").waitFor({ timeout: TIMEOUT });
    expect((await api<{ cards: unknown[] }>(page, "GET", "/api/payment-info")).body.cards).toEqual([]);
  });
});
