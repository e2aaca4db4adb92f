/**
 * The development clock in Chromium (docs/decisions/018a-dunning-extensions-and-dev-clock.md): the Cloud-Admin moves
 * the application's time forward from the portal, runs the dunning sweep from the same screen, and watches an
 * organization in Warning reach Account Suspension; the header shows the moved time; back to real time at the end.
 */
import { describe, expect, test } from "vitest";
import { useBrowser } from "./harness";
import { TIMEOUT, asDunningAdmin, caseOf, withOverdueCase } from "./dunning-helpers";

const ORG = "Pampa Agro S.A.";

describe("development clock", () => {
  const b = useBrowser();

  // One day only: the seeded demo cases (Warning until day +5, Suspended until day +12) keep their phase for the
  // other browser tests, which share this server.
  test("move forward a day, run the dunning sweep: Warning becomes Account Suspension; then back to real time", async () => {
    const page = b.page;
    await asDunningAdmin(page);
    // Overdue since the start of day -13: Warning; Account Suspension starts at the start of day +1.
    await withOverdueCase(b, ORG, 14, async ({ org, state }) => {
      expect(state).toBe("warning");
      try {
        await page.getByRole("status", { name: "Development clock" }).getByRole("link", { name: "Move the clock" }).click();
        await page.getByRole("heading", { name: "Development clock", level: 1 }).waitFor({ timeout: TIMEOUT });
        await page.getByLabel("Days").fill("0");
        await page.getByRole("button", { name: "Move forward" }).click();
        await page.getByText("Enter whole days from 1 to 60.").waitFor({ timeout: TIMEOUT });
        await page.getByLabel("Days").fill("1");
        await page.getByRole("button", { name: "Move forward" }).click();
        await page.getByText("The clock moved forward 1 day.", { exact: false }).waitFor({ timeout: TIMEOUT });
        await page.getByRole("status", { name: "Development clock" }).getByText("(+1 day)", { exact: false }).waitFor({ timeout: TIMEOUT });

        await page.getByRole("button", { name: "Run dunning sweep" }).click();
        await page.getByText(/Dunning sweep: \d+ entered dunning, \d+ cases moved on\./).waitFor({ timeout: TIMEOUT });
        expect((await caseOf(page, org)).state).toBe("suspended");
      } finally {
        await page.goto("/dev/clock");
        await page.getByRole("button", { name: "Back to real time" }).click();
        await page.getByText("The clock is back on real time.").waitFor({ timeout: TIMEOUT });
      }
    });
  });
});
