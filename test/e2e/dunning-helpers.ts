/**
 * What the dunning browser tests share (test/e2e/dunning*.test.ts): sign-in, same-origin API calls from a signed-in
 * page, an overdue invoice made through the API, the dunning cron trigger, Adjust Offline.
 */
import { expect } from "vitest";
import type { Browser, Page } from "playwright-core";
import type { InvoiceDetail } from "../../worker/contract/billing";
import { DUNNING_CRON } from "../../worker/contract/dunning";
import { day, newPage, signIn, type PageSession } from "./harness";

export const ADMIN = { email: "admin@cumulus.example", password: "Cumulus-Admin-2026" };
export const TIMEOUT = 20_000;
/** The policy the tests count days against (the defaults, saved explicitly so no earlier test's change matters). */
export const POLICY = {
  grace: { enabled: true, days: 7 }, warning: { enabled: true, days: 7 }, suspended: { enabled: true, days: 14 }, delete_notice: { enabled: true, days: 7 },
  warningEveryDays: 3,
};

export async function signInAs(page: Page, who: { email: string; password: string }) {
  await page.goto("/sign-in", { waitUntil: "domcontentloaded" });
  await page.getByRole("heading", { name: "Sign in" }).waitFor({ timeout: TIMEOUT });
  await signIn(page, who.email, who.password);
  await page.getByRole("navigation", { name: "Main" }).waitFor({ timeout: TIMEOUT });
}

/** Same-origin API calls from the signed-in page (its cookie and Origin, as the portal makes them). */
export async function api<T>(page: Page, method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
  const res = await page.evaluate(
    async ([m, p, b]) => {
      const r = await fetch(p as string, { method: m as string, headers: { "content-type": "application/json" }, body: b === undefined ? undefined : JSON.stringify(b) });
      return { status: r.status, text: await r.text() };
    },
    [method, path, body] as const,
  );
  return { status: res.status, body: (res.text ? JSON.parse(res.text) : null) as T };
}

export async function ok<T>(page: Page, method: string, path: string, body?: unknown): Promise<T> {
  const res = await api<T>(page, method, path, body);
  if (res.status >= 300) throw new Error(`${method} ${path} → ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body;
}

export async function orgId(page: Page, name: string): Promise<string> {
  const list = await ok<{ items: Array<{ id: string; name: string }> }>(page, "GET", `/api/organizations?q=${encodeURIComponent(name)}`);
  return list.items.find((o) => o.name === name)!.id;
}

/** An unpaid invoice of €250.00 (no tax) that fell due `daysAgo` days ago. */
export async function overdueInvoice(page: Page, org: string, daysAgo: number): Promise<InvoiceDetail> {
  const due = day(-daysAgo);
  return ok<InvoiceDetail>(page, "POST", "/api/invoices", {
    for: "customer", orgId: org, status: "unpaid", issueDate: due, dueDate: due, periodFrom: day(-daysAgo - 30), periodTo: day(-daysAgo - 1),
    items: [{ description: "Dedicated support block (E2E dunning)", quantity: "1", unitPrice: "250", taxable: false, unit: "unit" }],
  });
}

/** The dunning cron trigger (wrangler dev --test-scheduled): the sweep opens cases for overdue organizations. */
export async function runDunningCron(page: Page): Promise<void> {
  const res = await page.context().request.get(`/__scheduled?${new URLSearchParams({ cron: DUNNING_CRON })}`);
  expect(res.status(), await res.text()).toBe(200);
  expect(await res.text()).toContain("Ran scheduled event");
}

export async function caseOf(page: Page, org: string): Promise<{ state: string }> {
  return ok<{ state: string }>(page, "GET", `/api/billing/dunning/${org}`);
}

/** Adjust Offline (a payment channel): the settle hook ends the case at once. */
export async function payOffline(page: Page, invoiceId: string): Promise<void> {
  await ok(page, "POST", `/api/invoices/${invoiceId}/offline-payment`, { markAsPaid: true, reference: `BT-E2E-${invoiceId.slice(-6)}`, description: "" });
}


/** The scenarios' first step: signed in as the Cloud-Admin, with the policy the days are counted against. */
export async function asDunningAdmin(page: Page): Promise<void> {
  await signInAs(page, ADMIN);
  await ok(page, "PUT", "/api/billing/dunning-settings", POLICY);
}

/**
 * An invoice of `orgName` overdue by `daysOverdue` days and the dunning sweep run, so the organization's case is
 * placed by the days since the due date: its id, the invoice and the case's state. The caller pays the invoice
 * (payOffline) in a `finally`; if the sweep itself fails, it is paid here, so no later test meets the case.
 */
export async function overdueCase(page: Page, orgName: string, daysOverdue: number): Promise<{ org: string; invoice: InvoiceDetail; state: string }> {
  const org = await orgId(page, orgName);
  const invoice = await overdueInvoice(page, org, daysOverdue);
  try {
    await runDunningCron(page);
    return { org, invoice, state: (await caseOf(page, org)).state };
  } catch (err) {
    await payOffline(page, invoice.id);
    throw err;
  }
}

export interface DunningScenario {
  org: string;
  invoice: InvoiceDetail;
  /** The case's state right after the sweep. */
  state: string;
  /** Adjust Offline on the overdue invoice (once: the scenario's end does not pay it again). */
  payOffline(): Promise<void>;
}

/**
 * One dunning scenario on the shared server: the Cloud-Admin (`b.page`, signed in by asDunningAdmin) gives `orgName`
 * a case by an invoice overdue `daysOverdue` days (overdueCase) and hands it to `run`. Afterwards, whatever happened, the invoice
 * is paid offline (unless `run` paid it) so no later test meets the case; then the case must be back to current
 * and the admin's page must have seen no error.
 */
export async function withOverdueCase(
  b: { readonly page: Page; readonly errors: string[] },
  orgName: string,
  daysOverdue: number,
  run: (scenario: DunningScenario) => Promise<void>,
): Promise<void> {
  const admin = b.page;
  const { org, invoice, state } = await overdueCase(admin, orgName, daysOverdue);
  let paid = false;
  const pay = async () => {
    if (paid) return;
    paid = true;
    await payOffline(admin, invoice.id);
  };
  try {
    await run({ org, invoice, state, payOffline: pay });
  } finally {
    await pay();
  }
  expect((await caseOf(admin, org)).state).toBe("current");
  expect(b.errors).toEqual([]);
}

/** `run` in a browser context of its own (its own cookies: another person), closed afterwards whatever happened. */
export async function inOwnContext(browser: Browser, run: (session: PageSession) => Promise<void>): Promise<void> {
  const session = await newPage(browser);
  try {
    await run(session);
  } finally {
    await session.context.close();
  }
}
