/**
 * The seeded dunning demo (scripts/seed-dunning.mjs, docs/decisions/018a-dunning-extensions-and-dev-clock.md):
 * the seed writes only overdue invoices; the dunning cron trigger (which `npm start` runs once it is up) opens
 * the cases, and the organizations' Durable Objects place Harbor Lane Studios in Warning Notification and Quarry
 * Hill Media in Account Suspension. Their demo users (printed by `npm start`) see the banner and the pay-only screen.
 */
import { describe, expect, test } from "vitest";
import { signIn, useBrowser } from "./harness";
import { TIMEOUT, asDunningAdmin, caseOf, orgId, runDunningCron, signInAs } from "./dunning-helpers";

/** As printed by `npm start` and listed in the README (scripts/seed-dunning.mjs). */
const NINA = { email: "nina.patel@harborlane-studios.example", password: "Cumulus-Customer-2026" };
const OWEN = { email: "owen.byrne@quarryhill-media.example", password: "Cumulus-Customer-2026" };

describe("seeded dunning demo", () => {
  const b = useBrowser();

  test("after the dunning sweep one seeded organization is in Warning and one Suspended, and their demo users see it", async () => {
    const page = b.page;
    await asDunningAdmin(page);
    await runDunningCron(page);
    expect((await caseOf(page, await orgId(page, "Harbor Lane Studios Ltd"))).state).toBe("warning");
    expect((await caseOf(page, await orgId(page, "Quarry Hill Media Ltd"))).state).toBe("suspended");

    await page.context().clearCookies();
    await signInAs(page, NINA);
    await page.getByText(/is overdue\. Your account will be suspended in 5 days/).waitFor({ timeout: TIMEOUT });

    await page.context().clearCookies();
    await page.goto("/sign-in", { waitUntil: "domcontentloaded" });
    await page.getByRole("heading", { name: "Sign in" }).waitFor({ timeout: TIMEOUT });
    await signIn(page, OWEN.email, OWEN.password);
    await page.getByRole("heading", { name: "Your account is suspended", level: 1 }).waitFor({ timeout: TIMEOUT });
    expect(b.errors).toEqual([]);
  });
});
