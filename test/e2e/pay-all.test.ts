/**
 * My Invoices » Pay all in Chromium (docs/decisions/019b-card-health-and-self-pay.md): a customer with two unpaid
 * invoices and a card on file sees one "Pay all" button, confirms a dialog listing each invoice's share oldest
 * first and the card, and both invoices are paid by ONE charge, each showing its share. The organization is new
 * for each run; dates come from the movable clock (harness `day`).
 */
import { describe, expect, test } from "vitest";
import type { InvoiceDetail } from "../../worker/contract/billing";
import { formatMoney } from "../../worker/contract/money";
import { unpaidInvoice, useAdminPage } from "./admin-page";
import { api, signInAs } from "./dunning-helpers";
import { day, go, useBrowser } from "./harness";
import { addCard, stripeCustomer } from "./stripe-fields";

const TIMEOUT = 30_000;

describe("Pay all", () => {
  const b = useBrowser();
  const cloud = useAdminPage(b);

  test("a customer with two unpaid invoices confirms each share, oldest first, and pays both with one charge", async () => {
    const admin = cloud.page;
    const { page } = b;
    const customer = await stripeCustomer(admin, "Pay all");
    const older = await unpaidInvoice(admin, customer.orgId, { description: "Pay all (E2E) 120", unitPrice: "120", daysAgo: 5 });
    const newer = await unpaidInvoice(admin, customer.orgId, { description: "Pay all (E2E) 80", unitPrice: "80", daysAgo: 1 });
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
