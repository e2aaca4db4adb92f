/** Add a Card in Chromium: Stripe.js's hosted fields (iframes of the local Stripe's origin), found by our labels. */
import { randomBytes, randomUUID } from "node:crypto";
import type { Page } from "playwright-core";
import { LOCAL_STRIPE_KEYS } from "../fakes/stripe/keys";
import { ok } from "./dunning-helpers";
import { e2eSql, newUser, type E2eUser } from "./users";

const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/**
 * A new customer organization of its own (no card on file, nothing owed; its name starts with `label`) with one
 * user, and the local Stripe as the active gateway (set by the Cloud-Admin's page `admin`), so each run starts
 * from a clean slate.
 */
export async function stripeCustomer(admin: Page, label: string): Promise<{ orgId: string; name: string; user: E2eUser }> {
  const orgId = `org_${Array.from(randomBytes(26), (b) => ALPHABET[b & 31]).join("")}`;
  const name = `${label} E2E ${randomUUID().slice(0, 8)}`;
  const now = Date.now();
  await e2eSql(`INSERT INTO organizations (id, kind, name, status, country, time_zone, created_at, updated_at) VALUES ('${orgId}', 'customer', '${name}', 'active', 'IE', 'UTC', ${now}, ${now});`);
  await ok(admin, "PUT", "/api/billing/payment-gateways/stripe", {
    enabled: true, publicKey: LOCAL_STRIPE_KEYS.publishableKey, secretKey: LOCAL_STRIPE_KEYS.secretKey,
    webhookSecret: LOCAL_STRIPE_KEYS.webhookSecret, acceptedBrands: ["visa", "mastercard", "amex", "discover"], securityBadge: true,
  });
  return { orgId, name, user: await newUser(label.toLowerCase().replace(/[^a-z]/g, ""), name) };
}

const EXPIRY = `12${String((new Date().getUTCFullYear() + 4) % 100).padStart(2, "0")}`;

/**
 * Add a Card's card-testing counters (worker/domain/payments/card-attempts.ts) allow 10 attempts an hour per client
 * IP and 5 per card fingerprint. Every E2E file comes from 127.0.0.1 and reuses Stripe's few test numbers, so
 * together they would exhaust one customer's hourly budget, and which file got the 429 would depend on file order.
 * Each file therefore starts from empty counters, once, before it first types a card; files run one at a time.
 * The limits themselves are proven in test/worker (card-attempts and the Add a Card route tests).
 */
let countersCleared: Promise<void> | undefined;
function freshCardAttemptCounters(): Promise<void> {
  countersCleared ??= e2eSql("DELETE FROM card_attempts;");
  return countersCleared;
}

/** Types into Stripe.js's fields with the keyboard, each found from our page's label (the frame's name). */
export async function typeCard(page: Page, number: string): Promise<void> {
  await freshCardAttemptCounters();
  for (const [title, value] of [["Card Number", number], ["Expiry Date", EXPIRY], ["CVV Code", "123"]] as const) {
    await page.frameLocator(`iframe[title="${title}"]`).getByLabel(title).click();
    await page.keyboard.type(value);
  }
}

export async function addCard(page: Page, number: string): Promise<void> {
  await page.getByRole("button", { name: "Add a Card" }).click();
  const drawer = page.getByRole("dialog", { name: "Add a Card" });
  await drawer.getByLabel("Cardholder Name").fill("Erin Example");
  await typeCard(page, number);
  await drawer.getByRole("button", { name: "Save" }).click();
}
