/**
 * My Invoices » Pay all in Chromium (docs/decisions/019b-card-health-and-self-pay.md): a customer with two unpaid
 * invoices and a card on file sees one "Pay all" button, confirms a dialog listing each invoice's share oldest
 * first and the card, and both invoices are paid by ONE charge, each showing its share. The organization is new
 * for each run; dates come from the movable clock (harness `day`).
 */
import { beforeAll, describe, expect, test } from "vitest";
import type { Page } from "playwright-core";
import type { InvoiceDetail } from "../../worker/contract/billing";
import { formatMoney } from "../../worker/contract/money";
import { api, ok, signInAs } from "./dunning-helpers";
import { day, go, newPage, useBrowser } from "./harness";
import { addCard, stripeCustomer } from "./stripe-fields";

const ADMIN = { email: "admin@cumulus.example", password: "Cumulus-Admin-2026" };
const TIMEOUT = 30_000;

/** An unpaid manual invoice issued `daysAgo` days ago (no tax). */
function unpaidInvoice(admin: Page, orgId: string, amount: string, daysAgo: number): Promise<InvoiceDetail> {
  return ok<InvoiceDetail>(admin, "POST", "/api/invoices", {
    for: "customer", orgId, status: "unpaid", issueDate: day(-daysAgo), dueDate: day(14 - daysAgo), periodFrom: day(-30 - daysAgo), periodTo: day(-1 - daysAgo),
    items: [{ description: `Pay all (E2E) ${amount}`, quantity: "1", unitPrice: amount, taxable: false, unit: "unit" }], confirmIssueDate: true,
  });
}

describe("Pay all", () => {
  const b = useBrowser();
  let admin: Page;

  beforeAll(async () => {
    admin = (await newPage(b.browser)).page;
    await signInAs(admin, ADMIN);
  });

  test("a customer with two unpaid invoices confirms each share, oldest first, and pays both with one charge", async () => {
    const { page } = b;
    const customer = await stripeCustomer(admin, "Pay all");
    const older = await unpaidInvoice(admin, customer.orgId, "120", 5);
    const newer = await unpaidInvoice(admin, customer.orgId, "80", 1);
    const total = formatMoney(older.totalMinor + newer.totalMinor, older.currency, older.exponent);

    await signInAs(page, customer.user);
    await go(page, "Payment Info");
    await addCard(page, "4242424242424242");
    await page.getByText("VISA ending in 4242 was saved.").waitFor({ timeout: TIMEOUT });

    await go(page, "My Invoices");
    await page.getByRole("button", { name: "Pay all", exact: true }).click();
    const dialog = page.getByRole("dialog", { name: "Pay all 2 unpaid invoices?" });
    await dialog.waitFor({ timeout: TIMEOUT });
    // The confirmation's own order is the behaviour under test: oldest first.
    expect(await dialog.getByRole("rowheader").allTextContents()).toEqual([older.number, newer.number]);
    expect(await dialog.textContent()).toContain(`${total} is charged to VISA •••• 4242, in one payment.`);
    await dialog.getByRole("button", { name: `Pay ${total}` }).click();
    await page.getByText(`Thank you: ${total} paid for invoices ${older.number}, ${newer.number}.`).waitFor({ timeout: TIMEOUT });
    await page.getByRole("button", { name: "Pay all", exact: true }).waitFor({ state: "detached", timeout: TIMEOUT });

    const paymentIds = new Set<string | null>();
    for (const inv of [older, newer]) {
      const detail = (await api<InvoiceDetail>(admin, "GET", `/api/invoices/${inv.id}`)).body;
      expect(detail.status).toBe("paid");
      expect(detail.payments.map((p) => [p.kind, p.amountMinor])).toEqual([["card_payment", inv.totalMinor]]);
      paymentIds.add(detail.payments[0]!.paymentId);
    }
    expect(paymentIds.size).toBe(1); // one charge, two shares
  });
});
