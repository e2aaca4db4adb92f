/**
 * Add a Card with 3-D Secure in Chromium (docs/decisions/016-payments.md): the bank's page is a redirect
 * (SetupIntent with return_url); back on Payment Info the page asks the server, which asks the gateway, and says
 * "Card added" with the card in the list, or "Your bank did not confirm the card" when the check failed.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { beforeAll, describe, expect, test } from "vitest";
import type { Page } from "playwright-core";
import { LOCAL_STRIPE_KEYS } from "../fakes/stripe/keys";
import { ADMIN, api, ok, signInAs } from "./dunning-helpers";
import { newPage, useBrowser } from "./harness";
import { addCard } from "./stripe-fields";
import { e2eSql, newUser, type E2eUser } from "./users";

const TIMEOUT = 30_000;
const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

async function freshCustomer(admin: Page): Promise<E2eUser> {
  const orgId = `org_${Array.from(randomBytes(26), (b) => ALPHABET[b & 31]).join("")}`;
  const name = `3DS return E2E ${randomUUID().slice(0, 8)}`;
  const now = Date.now();
  await e2eSql(`INSERT INTO organizations (id, kind, name, status, country, time_zone, created_at, updated_at) VALUES ('${orgId}', 'customer', '${name}', 'active', 'IE', 'UTC', ${now}, ${now});`);
  await ok(admin, "PUT", "/api/billing/payment-gateways/stripe", {
    enabled: true, publicKey: LOCAL_STRIPE_KEYS.publishableKey, secretKey: LOCAL_STRIPE_KEYS.secretKey,
    webhookSecret: LOCAL_STRIPE_KEYS.webhookSecret, acceptedBrands: ["visa", "mastercard", "amex", "discover"], securityBadge: true,
  });
  return newUser("setup3ds", name);
}

describe("Add a Card: the 3-D Secure return", () => {
  const b = useBrowser();
  let admin: Page;

  beforeAll(async () => {
    admin = (await newPage(b.browser)).page;
    await signInAs(admin, ADMIN);
  });

  // Two 3-D Secure test cards: Add a Card allows 5 attempts per card fingerprint and hour (card-testing
  // protection), and other E2E files add …3184 too; one number for both tests tripped it in CI.
  async function toBank(page: Page, number = "4000002760003184") {
    await signInAs(page, await freshCustomer(admin));
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
