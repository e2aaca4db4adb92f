/**
 * Pay now with a new card in Chromium (docs/decisions/019-collection.md, "Pay now with a new card"): a customer
 * with NO card on file opens an invoice, chooses "Pay with a new card", types the card into Stripe.js's fields on
 * Payment Info, meets its bank's 3-D Secure check in the same flow, and the invoice is paid; a declined card is
 * said in words first.
 */
import { beforeAll, describe, expect, test } from "vitest";
import type { Page } from "playwright-core";
import type { InvoiceDetail } from "../../worker/contract/billing";
import { formatMoney } from "../../worker/contract/money";
import { api, ok, signInAs } from "./dunning-helpers";
import { day, newPage, useBrowser } from "./harness";
import { stripeCustomer, typeCard } from "./stripe-fields";
import type { E2eUser } from "./users";

const ADMIN = { email: "admin@cumulus.example", password: "Cumulus-Admin-2026" };
const TIMEOUT = 30_000;
describe("Pay now with a new card", () => {
  const b = useBrowser();
  let admin: Page;
  let inv: InvoiceDetail;
  let total: string;
  let user: E2eUser;
  const section = () => b.page.getByRole("region", { name: "Pay with a new card" });

  beforeAll(async () => {
    admin = (await newPage(b.browser)).page;
    await signInAs(admin, ADMIN);
  });

  test("a customer without a card opens Pay with a new card; a card without funds is declined in words", async () => {
    const customer = await stripeCustomer(admin, "New card");
    const orgId = customer.orgId;
    user = customer.user;
    inv = await ok<InvoiceDetail>(admin, "POST", "/api/invoices", {
      for: "customer", orgId, status: "unpaid", issueDate: day(0), dueDate: day(14), periodFrom: day(-30), periodTo: day(-1),
      items: [{ description: "New card (E2E)", quantity: "1", unitPrice: "180", taxable: false, unit: "unit" }],
    });
    total = formatMoney(inv.totalMinor, inv.currency, inv.exponent);
    const { page } = b;
    await signInAs(page, user);
    await page.goto(`/billing/invoices/${inv.id}`);
    await page.getByRole("heading", { name: `Invoice ${inv.number}` }).waitFor({ timeout: TIMEOUT });
    await page.getByRole("link", { name: "Pay with a new card" }).click();
    await section().getByText(`Invoice ${inv.number}: ${total} due.`).waitFor({ timeout: TIMEOUT });

    // A card with no funds: said in words, nothing charged.
    await section().getByLabel("Cardholder Name").fill("Erin Example");
    await typeCard(page, "4000000000009995");
    await section().getByRole("button", { name: `Pay ${total}` }).click();
    await section().getByRole("alert").getByText(/Your card was declined: .*insufficient funds/i).waitFor({ timeout: TIMEOUT });
  });

  test("then a card whose bank asks for 3-D Secure, saved as asked: paid, and the invoice shows it on return", async () => {
    const { page } = b;
    await signInAs(page, user);
    await page.goto(`/billing/payment-info?pay=${inv.id}`);
    await section().getByText(`Invoice ${inv.number}: ${total} due.`).waitFor({ timeout: TIMEOUT });
    // A card whose bank asks for 3-D Secure: Stripe.js's modal, in the same flow.
    await section().getByLabel("Cardholder Name").fill("Erin Example");
    await typeCard(page, "4000002760003184");
    await section().getByLabel("Save this card for future payments").check();
    await section().getByRole("button", { name: `Pay ${total}` }).click();
    await page.getByRole("dialog", { name: "3D Secure authentication" }).waitFor({ timeout: TIMEOUT });
    await page.frameLocator('iframe[title="3D Secure authentication challenge"]').getByRole("button", { name: "Complete authentication" }).click({ timeout: TIMEOUT });
    await section().getByText(`Thank you: ${total} paid. The invoice is paid.`).waitFor({ timeout: TIMEOUT });
    expect((await api<InvoiceDetail>(admin, "GET", `/api/invoices/${inv.id}`)).body.status).toBe("paid");
    // Saved because it was ticked.
    await expect.poll(async () => (await api<{ cards: Array<{ last4: string }> }>(page, "GET", "/api/payment-info")).body.cards.map((c) => c.last4), { timeout: TIMEOUT }).toEqual(["3184"]);
    // Back on the invoice without a reload: Paid, nothing left to pay.
    await section().getByRole("link", { name: "Back to the invoice" }).click();
    await page.getByRole("heading", { name: `Invoice ${inv.number}` }).waitFor({ timeout: TIMEOUT });
    expect(await page.getByRole("button", { name: "Pay now" }).count()).toBe(0);
  });

  test("the invoice's payment history lists the declined attempt and the payment with its receipt; Transaction Logs too", async () => {
    const { page } = b;
    await signInAs(page, user);
    await page.goto(`/billing/invoices/${inv.id}`);
    const history = page.getByRole("region", { name: "Payment history" });
    await history.getByRole("row", { name: /Declined: .*insufficient funds/i }).waitFor({ timeout: TIMEOUT });
    await history.getByRole("row", { name: /Card payment/ }).getByRole("link", { name: "Download receipt" }).waitFor({ timeout: TIMEOUT });
    // Transaction Logs: the card payment's row carries its receipt too (found by searching the invoice number).
    await page.goto(`/my/transactions?q=${encodeURIComponent(inv.number ?? "")}`);
    await page.getByRole("row", { name: new RegExp(`Card payment.*${inv.number}`) }).getByRole("link", { name: "Receipt" }).waitFor({ timeout: TIMEOUT });
    // Stripe's API answers the declined card's confirmation with 402 (Stripe.js reports it); nothing else is expected.
    expect(b.errors.filter((e) => !/status of 402/.test(e))).toEqual([]);
  });
});
