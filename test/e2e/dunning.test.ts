/**
 * Dunning in Chromium (docs/decisions/018-dunning.md): an organization with an invoice overdue enters dunning
 * through the real path (a Cloud-Admin issues the invoice with a past due date through the API, the dunning
 * cron trigger runs the sweep, the organization's Durable Object places the case by the days since the due
 * date). In Warning its users see the banner; Suspended, they see only the pay-only screen (their account's
 * security pages and sign-out still work); once the overdue invoice is paid (Adjust Offline) access returns.
 * Dates come from Date.now(); rows are found by organization and number, never by position.
 */
import { describe, expect, test } from "vitest";
import { day, useBrowser } from "./harness";
import { TIMEOUT, asDunningAdmin, api, caseOf, inOwnContext, ok, signInAs, withOverdueCase } from "./dunning-helpers";
import { newUser } from "./users";

/** Seeded staff with "View billing" (billing.read) but not "Manage billing". */
const STAFF_READ = { email: "olivia.bennett@cumulus.example", password: "Cumulus-Staff-2026" };
/** Not in arrears in the seed and not used by the other browser tests' dunning-sensitive steps. */
const ORG = "Pampa Agro S.A.";

describe("dunning", () => {
  const b = useBrowser();

  test("Warning: every page of the organization shows the banner with the amount, the days left and Pay now", async () => {
    await asDunningAdmin(b.page);
    const user = await newUser("dunning-warning", ORG);
    // Overdue since the start of day -9: grace (7 days) is over, suspension starts at the start of day +5.
    await withOverdueCase(b, ORG, 10, async ({ invoice, state }) => {
      expect(state).toBe("warning");
      await inOwnContext(b.browser, async (customer) => {
        await signInAs(customer.page, user);
        const banner = customer.page.getByText(/is overdue\. Your account will be suspended in/);
        await banner.waitFor({ timeout: TIMEOUT });
        expect(await banner.textContent()).toContain("€250.00 is overdue. Your account will be suspended in 5 days");
        const pay = customer.page.getByRole("link", { name: "Pay now" });
        await pay.click();
        await customer.page.waitForURL(/\/billing\/invoices/, { timeout: TIMEOUT });
        await customer.page.getByText(invoice.number!).first().waitFor({ timeout: TIMEOUT });
        await banner.waitFor({ timeout: TIMEOUT }); // still there on the next page
        expect(customer.errors).toEqual([]);
      });
    });
  });

  test("Suspended: only the pay-only screen (account security and sign-out still work) until the overdue invoice is paid", async () => {
    await asDunningAdmin(b.page);
    const user = await newUser("dunning-suspended", ORG);
    // Overdue since the start of day -16: grace and warning (14 days) are over, termination is 14 days after that.
    await withOverdueCase(b, ORG, 17, async ({ org, invoice, state, payOffline }) => {
      expect(state).toBe("suspended");
      await inOwnContext(b.browser, async (customer) => {
        const page = customer.page;
        await signInAs(page, user);
        const suspended = page.getByRole("heading", { name: "Your account is suspended", level: 1 });
        await suspended.waitFor({ timeout: TIMEOUT });
        expect(await page.locator(".suspended-screen").textContent()).toContain("€250.00 is overdue.");
        // Another screen's address shows the same prompt, not the screen.
        await page.goto("/my/subscriptions");
        await suspended.waitFor({ timeout: TIMEOUT });
        expect(await page.getByRole("heading", { name: "My Subscriptions" }).count()).toBe(0);
        // The API refuses the organization's other writes with a clear code.
        const write = await api<{ error: { code: string } }>(page, "POST", "/api/subscriptions", {});
        expect(write.status).toBe(423);
        expect(write.body.error.code).toBe("ACCOUNT_SUSPENDED");
        // Account security stays reachable.
        await page.goto("/account/security");
        await page.getByRole("navigation", { name: "Main" }).waitFor({ timeout: TIMEOUT });
        expect(await suspended.count()).toBe(0);
        // The prompt leads to paying: the overdue invoice is listed.
        await page.goto("/");
        await page.getByRole("link", { name: "Pay overdue invoices" }).click();
        await page.waitForURL(/\/billing\/invoices/, { timeout: TIMEOUT });
        await page.getByText(invoice.number!).first().waitFor({ timeout: TIMEOUT });
        // Sign-out works from the prompt.
        await page.goto("/");
        await suspended.waitFor({ timeout: TIMEOUT });
        await page.getByRole("button", { name: /^Signed in as / }).click();
        await page.getByRole("button", { name: "Sign out", exact: true }).click();
        await page.waitForURL((url) => url.pathname === "/sign-in", { timeout: TIMEOUT });

        // A Cloud-Admin records the bank transfer (Adjust Offline): access returns at once.
        await payOffline();
        expect((await caseOf(b.page, org)).state).toBe("current");
        await signInAs(page, user);
        await page.goto("/my/subscriptions");
        await page.getByRole("heading", { name: "My Subscriptions", level: 1 }).waitFor({ timeout: TIMEOUT });
        expect(await suspended.count()).toBe(0);
        // The one refused write above is the only failed request the browser saw.
        expect(customer.errors).toEqual(["console: Failed to load resource: the server responded with a status of 423 (Locked)"]);
      });
    });
  });

  test("Dunning screen: the Cloud-Admin finds the organization by search, opens its timeline, pauses it with a reason, resumes it, exempts it and resumes it", async () => {
    const admin = b.page;
    await asDunningAdmin(admin);
    // Overdue since the start of day -9: Warning Notification, Account Suspension from the start of day +5.
    await withOverdueCase(b, ORG, 10, async ({ org, state }) => {
      expect(state).toBe("warning");

      await admin.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Dunning", exact: true }).click();
      await admin.getByRole("heading", { name: "Dunning", level: 1 }).waitFor({ timeout: TIMEOUT });
      await admin.getByLabel("Phase").selectOption("warning");
      await admin.getByRole("searchbox", { name: "Organization" }).fill(ORG);
      await admin.waitForURL((url) => url.searchParams.get("search") === ORG && url.searchParams.get("state") === "warning", { timeout: TIMEOUT });
      const row = admin.getByRole("row").filter({ has: admin.getByRole("link", { name: ORG, exact: true }) });
      await row.waitFor({ timeout: TIMEOUT });
      expect(await row.textContent()).toContain("Warning Notification");
      expect(await row.textContent()).toContain("€250.00");
      await row.getByRole("link", { name: ORG, exact: true }).click();

      await admin.getByRole("heading", { name: `Dunning: ${ORG}`, level: 1 }).waitFor({ timeout: TIMEOUT });
      const steps = admin.getByRole("region", { name: "Timeline" }).getByRole("listitem");
      await steps.first().waitFor({ timeout: TIMEOUT });
      const entries = await steps.allTextContents();
      // Dates as the page writes them (the browser's language), computed from Date.now().
      const shown = (iso: string) => admin.evaluate((d) => new Intl.DateTimeFormat(undefined, { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" }).format(new Date(`${d}T00:00:00Z`)), iso);
      const entry = (label: string) => entries.find((e) => e.startsWith(label)) ?? "";
      expect(entry("Grace Period")).toContain(`${await shown(day(-9))} (Done)`);
      expect(entry("Warning Notification")).toContain(`${await shown(day(-2))} (Now)`);
      expect(entry("Account Suspension")).toContain(`${await shown(day(5))} (Scheduled)`);
      expect(entry("Delete Notification")).toContain(`${await shown(day(19))} (Scheduled)`);
      expect(entry("Terminated")).toContain(`${await shown(day(26))} (Scheduled)`);

      // Pause until a date, with a reason: an empty reason is refused on its field first.
      const until = day(10);
      await admin.getByRole("button", { name: "Pause until…" }).click();
      const dialog = admin.getByRole("dialog", { name: `Pause dunning of ${ORG}?` });
      await dialog.getByLabel("Pause until").fill(until);
      await dialog.getByRole("button", { name: "Pause", exact: true }).click();
      await dialog.getByText("Enter a reason.").waitFor({ timeout: TIMEOUT });
      await dialog.getByLabel("Reason").fill("Promise to pay by wire (E2E)");
      await dialog.getByRole("button", { name: "Pause", exact: true }).click();
      await admin.getByText(/Dunning of .* is paused until/).waitFor({ timeout: TIMEOUT });
      await admin.getByText("Promise to pay by wire (E2E)").waitFor({ timeout: TIMEOUT });
      const paused = await ok<{ pausedUntil: number | null; pauseReason: string | null }>(admin, "GET", `/api/billing/dunning/${org}`);
      expect(paused.pauseReason).toBe("Promise to pay by wire (E2E)");
      expect(paused.pausedUntil).toBe(Date.parse(`${until}T00:00:00Z`));

      // Resume, confirmed.
      await admin.getByRole("button", { name: "Resume", exact: true }).click();
      await admin.getByRole("dialog", { name: `Resume dunning of ${ORG}?` }).getByRole("button", { name: "Resume", exact: true }).click();
      await admin.getByText(`Dunning of ${ORG} resumed.`).waitFor({ timeout: TIMEOUT });
      await admin.getByRole("button", { name: "Pause until…" }).waitFor({ timeout: TIMEOUT });
      const resumed = await ok<{ state: string; pauseReason: string | null }>(admin, "GET", `/api/billing/dunning/${org}`);
      expect(resumed).toMatchObject({ state: "warning", pauseReason: null });

      // Exempt (no date), then resume again.
      await admin.getByRole("button", { name: "Exempt", exact: true }).click();
      const exempt = admin.getByRole("dialog", { name: `Exempt ${ORG} from dunning?` });
      expect(await exempt.getByLabel("Pause until").count()).toBe(0);
      await exempt.getByLabel("Reason").fill("Disputed invoice under review (E2E)");
      await exempt.getByRole("button", { name: "Exempt", exact: true }).click();
      await admin.getByText(`${ORG} is exempt from dunning until resumed.`).waitFor({ timeout: TIMEOUT });
      expect(await ok<{ pausedUntil: number | null; pauseReason: string | null }>(admin, "GET", `/api/billing/dunning/${org}`)).toMatchObject({ pausedUntil: null, pauseReason: "Disputed invoice under review (E2E)" });
      await admin.getByRole("button", { name: "Resume", exact: true }).click();
      await admin.getByRole("dialog", { name: `Resume dunning of ${ORG}?` }).getByRole("button", { name: "Resume", exact: true }).click();
      await admin.getByRole("button", { name: "Pause until…" }).waitFor({ timeout: TIMEOUT });

      // Staff with "View billing" only: the same case and timeline, without the buttons.
      await inOwnContext(b.browser, async (staff) => {
        await signInAs(staff.page, STAFF_READ);
        await staff.page.goto(`/billing/dunning/${encodeURIComponent(org)}`);
        await staff.page.getByRole("heading", { name: `Dunning: ${ORG}`, level: 1 }).waitFor({ timeout: TIMEOUT });
        await staff.page.getByRole("region", { name: "Timeline" }).getByText("Account Suspension").waitFor({ timeout: TIMEOUT });
        for (const name of ["Pause until…", "Exempt", "Resume"]) expect(await staff.page.getByRole("button", { name, exact: true }).count(), name).toBe(0);
        expect(staff.errors).toEqual([]);
      });
    });
  });
});
