/**
 * Collecting money in Chromium (docs/decisions/019-collection.md): a customer adds a card and turns Auto Payment
 * on (choose the card, toggle, confirm) and a new invoice is then paid by itself; with Auto Payment off, billing
 * staff use "Capture Payment" from the invoice's More menu (a confirmation with the card and amount); and the
 * customer pays another invoice with "Pay now". The organization is new for each run (written to the E2E
 * database like credit-card-status.test.ts does), so no other file's cards or Auto Payment choice matter.
 */
import { beforeAll, describe, expect, test } from "vitest";
import type { Page } from "playwright-core";
import type { InvoiceDetail } from "../../worker/contract/billing";
import { formatMoney } from "../../worker/contract/money";
import { ADMIN, api, ok, signInAs } from "./dunning-helpers";
import { day, newPage, useBrowser } from "./harness";
import { addCard, stripeCustomer } from "./stripe-fields";

const TIMEOUT = 30_000;

/** An unpaid manual invoice of 250.00 in the billing currency (no tax), issued today. */
function invoiceFor(admin: Page, orgId: string, what: string): Promise<InvoiceDetail> {
  return ok<InvoiceDetail>(admin, "POST", "/api/invoices", {
    for: "customer", orgId, status: "unpaid", issueDate: day(0), dueDate: day(14), periodFrom: day(-30), periodTo: day(-1),
    items: [{ description: `${what} (E2E collection)`, quantity: "1", unitPrice: "250", taxable: false, unit: "unit" }],
  });
}

const totalOf = (inv: InvoiceDetail) => formatMoney(inv.totalMinor, inv.currency, inv.exponent);
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const statusOf = async (admin: Page, id: string) => (await api<InvoiceDetail>(admin, "GET", `/api/invoices/${id}`)).body.status;

describe("collection", () => {
  const b = useBrowser();
  let admin: Page;
  let customer: Awaited<ReturnType<typeof stripeCustomer>>;

  beforeAll(async () => {
    admin = (await newPage(b.browser)).page;
    await signInAs(admin, ADMIN);
    customer = await stripeCustomer(admin, "Collection");
  });

  test("a customer turns Auto Payment on for its card; the next invoice is charged by itself", async () => {
    const { page } = b;
    await signInAs(page, customer.user);
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Payment Info" }).click();
    await page.getByRole("heading", { name: "Payment Info", level: 1 }).waitFor({ timeout: TIMEOUT });
    const toggle = page.getByRole("switch", { name: "Auto Payment" });
    expect(await toggle.isChecked()).toBe(false);

    // No card yet: turning it on says what is missing, on the card field.
    await toggle.click();
    await page.getByText("Add a card first: Auto Payment charges a card on file.").waitFor({ timeout: TIMEOUT });

    await addCard(page, "4242424242424242");
    await page.getByText("VISA ending in 4242 was saved.").waitFor({ timeout: TIMEOUT });
    await expect.poll(() => page.getByLabel("Card for automatic payments").inputValue()).not.toBe("");
    await toggle.press("Space");
    const confirm = page.getByRole("dialog", { name: "Turn on Auto Payment?" });
    expect(await confirm.textContent()).toContain("VISA •••• 4242");
    await confirm.getByRole("button", { name: "Turn on Auto Payment" }).click();
    await page.getByText("Auto Payment is on: new invoices are charged to VISA •••• 4242.").waitFor({ timeout: TIMEOUT });
    await expect.poll(() => toggle.isChecked()).toBe(true);

    const inv = await invoiceFor(admin, customer.orgId, "Auto Payment");
    await expect.poll(() => statusOf(admin, inv.id), { timeout: TIMEOUT, interval: 500 }).toBe("paid");

    // The customer sees it paid, with the card payment in its history.
    await page.goto(`/billing/invoices/${inv.id}`);
    await page.getByRole("heading", { name: `Invoice ${inv.number}` }).waitFor({ timeout: TIMEOUT });
    await page.getByText("Card payment").first().waitFor({ timeout: TIMEOUT });
    expect(await page.getByRole("button", { name: "Pay now" }).count()).toBe(0);

    // Off again (confirmed), so the next invoices wait for a person.
    await page.goto("/billing/payment-info");
    await page.getByRole("switch", { name: "Auto Payment" }).click();
    await page.getByRole("dialog", { name: "Turn off Auto Payment?" }).getByRole("button", { name: "Turn off Auto Payment" }).click();
    await page.getByText("Auto Payment is off: pay new invoices from My Invoices.").waitFor({ timeout: TIMEOUT });
  });

  test("billing staff capture an invoice's payment from the More menu; the customer pays another with Pay now", async () => {
    const captured = await invoiceFor(admin, customer.orgId, "Capture Payment");
    await admin.goto(`/billing/invoices/${captured.id}`);
    await admin.getByRole("heading", { name: `Invoice ${captured.number}` }).waitFor({ timeout: TIMEOUT });
    await admin.getByRole("button", { name: `More actions for ${captured.number}` }).click();
    await admin.getByRole("menuitem", { name: "Capture Payment" }).click();
    const dialog = admin.getByRole("dialog", { name: `Capture payment for invoice ${captured.number}?` });
    await dialog.waitFor({ timeout: TIMEOUT });
    expect(await dialog.textContent()).toMatch(new RegExp(`${escape(totalOf(captured))} will be charged to VISA •••• 4242`));
    await dialog.getByRole("button", { name: "Capture Payment" }).click();
    await admin.getByText(`Invoice ${captured.number} paid: ${totalOf(captured)} charged to VISA •••• 4242.`).waitFor({ timeout: TIMEOUT });
    expect(await statusOf(admin, captured.id)).toBe("paid");

    // Capturing it again is refused in words (it is paid now).
    const again = await api<{ error: { code: string } }>(admin, "POST", `/api/invoices/${captured.id}/capture-payment`, { expectedAmountMinor: captured.totalMinor });
    expect(again.body.error.code).toBe("INVOICE_NOT_UNPAID");

    const own = await invoiceFor(admin, customer.orgId, "Pay now");
    const { page } = b; // a new browser context for each test: sign in again
    await signInAs(page, customer.user);
    await page.goto(`/billing/invoices/${own.id}`);
    await page.getByRole("heading", { name: `Invoice ${own.number}` }).waitFor({ timeout: TIMEOUT });
    await page.getByRole("button", { name: "Pay now" }).click();
    const pay = page.getByRole("dialog", { name: `Pay invoice ${own.number}?` });
    await pay.getByRole("button", { name: `Pay ${totalOf(own)}` }).click();
    await page.getByText(`Thank you: ${totalOf(own)} paid.`).waitFor({ timeout: TIMEOUT });
    // The page updates without a reload: no Pay now any more, and the status reads Paid.
    await expect.poll(() => page.getByRole("button", { name: "Pay now" }).count(), { timeout: TIMEOUT }).toBe(0);
    expect(await statusOf(admin, own.id)).toBe("paid");
  });

  test("a bank asks for 3-D Secure on Pay now: the customer completes it on Payment Info and the invoice is paid", async () => {
    const other = await stripeCustomer(admin, "Collection"); // its only card asks for 3-D Secure on every payment
    const { page } = b;
    await signInAs(page, other.user);
    await page.goto("/billing/payment-info");
    await page.getByRole("heading", { name: "Payment Info", level: 1 }).waitFor({ timeout: TIMEOUT });
    // Saving this card is itself checked by the bank: the SetupIntent's check is Stripe's page (a redirect), and
    // the card is stored when Stripe's setup_intent.succeeded webhook lands.
    await addCard(page, "4000002760003184");
    await page.getByRole("button", { name: "Complete authentication" }).click({ timeout: TIMEOUT });
    await page.getByRole("heading", { name: "Payment Info", level: 1 }).waitFor({ timeout: TIMEOUT });
    await expect.poll(async () => (await api<{ cards: Array<{ last4: string }> }>(page, "GET", "/api/payment-info")).body.cards.map((c) => c.last4), { timeout: TIMEOUT, interval: 500 }).toEqual(["3184"]);
    const bank = page.getByRole("dialog", { name: "3D Secure authentication" }); // Stripe.js's modal
    const challenge = page.frameLocator('iframe[title="3D Secure authentication challenge"]');

    const inv = await invoiceFor(admin, other.orgId, "3-D Secure");
    await page.goto(`/billing/invoices/${inv.id}`);
    await page.getByRole("heading", { name: `Invoice ${inv.number}` }).waitFor({ timeout: TIMEOUT });
    await page.getByRole("button", { name: "Pay now" }).click();
    await page.getByRole("dialog", { name: `Pay invoice ${inv.number}?` }).getByRole("button", { name: `Pay ${totalOf(inv)}` }).click();
    await page.getByText("Your bank asks you to confirm this payment: choose Complete authentication.").waitFor({ timeout: TIMEOUT });
    expect(await statusOf(admin, inv.id)).toBe("unpaid");

    // Payment Info's confirmation (the page allowed to load Stripe.js), then the bank's check in Stripe's frame.
    await page.getByRole("link", { name: "Complete authentication" }).click();
    await page.getByRole("heading", { name: "Confirm your payment", level: 2 }).waitFor({ timeout: TIMEOUT });
    await page.getByRole("button", { name: "Complete authentication" }).click();
    await bank.waitFor({ timeout: TIMEOUT });
    await challenge.getByRole("button", { name: "Complete authentication" }).click({ timeout: TIMEOUT });
    await page.getByText("Thank you: your bank confirmed the payment and the invoice is paid.").waitFor({ timeout: TIMEOUT });
    expect(await statusOf(admin, inv.id)).toBe("paid");

    // Back on the invoice: paid, nothing left to pay or to confirm.
    await page.getByRole("link", { name: "Back to the invoice" }).click();
    await page.getByRole("heading", { name: `Invoice ${inv.number}` }).waitFor({ timeout: TIMEOUT });
    expect(await page.getByRole("button", { name: "Pay now" }).count()).toBe(0);
    expect(b.errors).toEqual([]);
  });
});
