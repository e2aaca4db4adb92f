/**
 * Pay by redirect in Chromium (docs/decisions/016b-adpay-protocol.md): with ADPAY the active gateway (Stripe off
 * for this file, restored after), a customer pays an invoice on the ADPAY sandbox's page and sees it Paid on
 * return; on another invoice they cancel on that page and see it still unpaid, with the reason.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Page } from "playwright-core";
import type { InvoiceDetail } from "../../worker/contract/billing";
import { formatMoney } from "../../worker/contract/money";
import { LOCAL_ADPAY_CREDENTIALS, LOCAL_STRIPE_KEYS } from "../fakes/stripe/keys";
import { ADMIN, api, ok, signInAs } from "./dunning-helpers";
import { day, newPage, useBrowser } from "./harness";
import { e2eSql, newUser, type E2eUser } from "./users";

const TIMEOUT = 30_000;
const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const STRIPE = { publicKey: LOCAL_STRIPE_KEYS.publishableKey, secretKey: LOCAL_STRIPE_KEYS.secretKey, webhookSecret: LOCAL_STRIPE_KEYS.webhookSecret, acceptedBrands: ["visa", "mastercard", "amex", "discover"], securityBadge: true };
const ADPAY = { merchantId: LOCAL_ADPAY_CREDENTIALS.merchantId, apiKey: LOCAL_ADPAY_CREDENTIALS.apiKey, secret: LOCAL_ADPAY_CREDENTIALS.secret };

async function freshCustomer(): Promise<{ orgId: string; user: E2eUser }> {
  const orgId = `org_${Array.from(randomBytes(26), (b) => ALPHABET[b & 31]).join("")}`;
  const name = `ADPAY E2E ${randomUUID().slice(0, 8)}`;
  const now = Date.now();
  await e2eSql(`INSERT INTO organizations (id, kind, name, status, country, time_zone, created_at, updated_at) VALUES ('${orgId}', 'customer', '${name}', 'active', 'IE', 'UTC', ${now}, ${now});`);
  return { orgId, user: await newUser("adpay", name) };
}

function invoiceFor(admin: Page, orgId: string, what: string): Promise<InvoiceDetail> {
  return ok<InvoiceDetail>(admin, "POST", "/api/invoices", {
    for: "customer", orgId, status: "unpaid", issueDate: day(0), dueDate: day(14), periodFrom: day(-30), periodTo: day(-1),
    items: [{ description: `${what} (E2E ADPAY)`, quantity: "1", unitPrice: "120", taxable: false, unit: "unit" }],
  });
}

const totalOf = (inv: InvoiceDetail) => formatMoney(inv.totalMinor, inv.currency, inv.exponent);
const statusOf = async (admin: Page, id: string) => (await api<InvoiceDetail>(admin, "GET", `/api/invoices/${id}`)).body.status;

describe("pay by redirect (ADPAY)", () => {
  const b = useBrowser();
  let admin: Page;
  let customer: { orgId: string; user: E2eUser };

  beforeAll(async () => {
    admin = (await newPage(b.browser)).page;
    await signInAs(admin, ADMIN);
    await ok(admin, "PUT", "/api/billing/payment-gateways/stripe", { ...STRIPE, enabled: false });
    await ok(admin, "PUT", "/api/billing/payment-gateways/adpay", { ...ADPAY, enabled: true });
    customer = await freshCustomer();
  });

  afterAll(async () => {
    await ok(admin, "PUT", "/api/billing/payment-gateways/adpay", { ...ADPAY, enabled: false });
    await ok(admin, "PUT", "/api/billing/payment-gateways/stripe", { ...STRIPE, enabled: true });
  });

  async function toGatewayPage(page: Page, inv: InvoiceDetail) {
    await signInAs(page, customer.user);
    await page.goto(`/billing/invoices/${inv.id}`);
    await page.getByRole("heading", { name: `Invoice ${inv.number}` }).waitFor({ timeout: TIMEOUT });
    await page.getByRole("button", { name: "Pay now" }).click();
    const dialog = page.getByRole("dialog", { name: `Pay invoice ${inv.number}?` });
    expect(await dialog.textContent()).toContain("secure page");
    await dialog.getByRole("button", { name: `Pay ${totalOf(inv)}` }).click();
    await page.getByLabel("Card Number").waitFor({ timeout: TIMEOUT });
  }

  test("pays an invoice on the ADPAY page and sees it Paid on return", async () => {
    const inv = await invoiceFor(admin, customer.orgId, "Pay on the page");
    const { page } = b;
    await toGatewayPage(page, inv);
    await page.getByLabel("Cardholder Name").fill("Ada Lovelace");
    await page.getByLabel("Card Number").fill("4242 4242 4242 4242");
    await page.getByLabel("Expiry Date").fill(`12/${String(new Date().getUTCFullYear() + 3).slice(2)}`);
    await page.getByLabel("CVV Code").fill("123");
    await page.getByRole("button", { name: /^Pay / }).click();
    await page.getByText("Thank you: your payment was received.").waitFor({ timeout: TIMEOUT });
    await page.getByText("Paid", { exact: true }).first().waitFor({ timeout: TIMEOUT });
    expect(await page.getByRole("button", { name: "Pay now" }).count()).toBe(0);
    // The signed return was read and removed from the address.
    expect(new URL(page.url()).search).toBe("");
    expect(await statusOf(admin, inv.id)).toBe("paid");
  });

  test("cancels on the ADPAY page and sees the invoice still unpaid, with the reason", async () => {
    const inv = await invoiceFor(admin, customer.orgId, "Cancel on the page");
    const { page } = b;
    await toGatewayPage(page, inv);
    await page.getByRole("button", { name: "Cancel and return to the merchant" }).click();
    await page.getByText(/The payment did not go through: The payer cancelled the payment\. The invoice is still unpaid/).waitFor({ timeout: TIMEOUT });
    await page.getByRole("button", { name: "Pay now" }).waitFor({ timeout: TIMEOUT });
    expect(await statusOf(admin, inv.id)).toBe("unpaid");
  });
});
