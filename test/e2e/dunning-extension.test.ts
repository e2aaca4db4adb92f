/**
 * Asking for more time in Chromium (docs/decisions/018a-dunning-extensions-and-dev-clock.md): a suspended customer
 * asks from the pay-only screen (field errors first); billing staff decline it on the Dunning case page with a
 * reason (confirmed), the customer sees why and asks again; staff approve: the case pauses until the day asked
 * for and the customer sees it. Dates from Date.now(); the organization is found by name.
 */
import { describe, expect, test } from "vitest";
import { signIn, useBrowser } from "./harness";
import { TIMEOUT, asDunningAdmin, inOwnContext, ok, withOverdueCase } from "./dunning-helpers";
import { newUser } from "./users";

const ORG = "Pampa Agro S.A.";

describe("dunning: more time", () => {
  const b = useBrowser();

  test("a suspended customer asks for more time; staff decline with a reason, then approve the next request: the case pauses", async () => {
    const admin = b.page;
    await asDunningAdmin(b.page);
    const user = await newUser("dunning-more-time", ORG);
    await withOverdueCase(b, ORG, 17, async ({ org, state }) => {
      expect(state).toBe("suspended");

      await inOwnContext(b.browser, async (customer) => {
        const page = customer.page;
        await page.goto("/sign-in", { waitUntil: "domcontentloaded" });
        await signIn(page, user.email, user.password);
        await page.getByRole("heading", { name: "Your account is suspended", level: 1 }).waitFor({ timeout: TIMEOUT });
        await page.getByRole("link", { name: "Ask for more time" }).click();
        await page.getByRole("heading", { name: "Ask for more time", level: 1 }).waitFor({ timeout: TIMEOUT });
        const send = page.getByRole("button", { name: "Send request" });
        await send.click();
        await page.getByText("Enter a number of days.").waitFor({ timeout: TIMEOUT });
        await page.getByLabel("Days").fill("45");
        await page.getByLabel("Reason").fill("Our finance team pays on the 10th (E2E)");
        await send.click();
        await page.getByText("At most 30 days.").waitFor({ timeout: TIMEOUT });
        await page.getByLabel("Days").fill("10");
        await send.click();
        await page.getByText("Your request for 10 more days is waiting for a decision.").waitFor({ timeout: TIMEOUT });

        // Staff: the request on the case page; Decline asks for a reason first.
        await admin.goto(`/billing/dunning/${encodeURIComponent(org)}`);
        const section = admin.getByRole("region", { name: "Request for more time" });
        await section.getByText("Our finance team pays on the 10th (E2E)").waitFor({ timeout: TIMEOUT });
        await section.getByRole("button", { name: "Decline", exact: true }).click();
        const decline = admin.getByRole("dialog", { name: `Decline the request of ${ORG}?` });
        await decline.getByRole("button", { name: "Decline", exact: true }).click();
        await decline.getByText("Enter a reason.").waitFor({ timeout: TIMEOUT });
        await decline.getByLabel("Reason").fill("Two invoices are already overdue (E2E)");
        await decline.getByRole("button", { name: "Decline", exact: true }).click();
        await admin.getByText(`The request of ${ORG} for more time was declined.`).waitFor({ timeout: TIMEOUT });
        await section.getByText("Declined", { exact: true }).waitFor({ timeout: TIMEOUT });

        // The customer sees why, and asks again.
        await page.reload();
        await page.getByText("Your request for more time was declined: Two invoices are already overdue (E2E)").waitFor({ timeout: TIMEOUT });
        await page.getByLabel("Days").fill("7");
        await page.getByLabel("Reason").fill("Paying by wire on Friday (E2E)");
        await page.getByRole("button", { name: "Send request" }).click();
        await page.getByText("Your request for 7 more days is waiting for a decision.").waitFor({ timeout: TIMEOUT });

        // Staff approve, confirmed: the case pauses.
        await admin.reload();
        await section.getByText("Paying by wire on Friday (E2E)").waitFor({ timeout: TIMEOUT });
        await section.getByRole("button", { name: "Approve", exact: true }).click();
        await admin.getByRole("dialog", { name: `Approve 7 more days for ${ORG}?` }).getByRole("button", { name: "Approve", exact: true }).click();
        await admin.getByText(/More time approved: dunning of .* is paused until/).waitFor({ timeout: TIMEOUT });
        const paused = await ok<{ pausedUntil: number | null; extension: { status: string } }>(admin, "GET", `/api/billing/dunning/${org}`);
        expect(paused.extension.status).toBe("approved");
        expect(paused.pausedUntil).toBe(Math.floor(Date.now() / 86_400_000) * 86_400_000 + 7 * 86_400_000);

        await page.goto("/");
        await page.getByText(/Your request for more time was approved: nothing more happens until/).waitFor({ timeout: TIMEOUT });
        expect(customer.errors).toEqual([]);
      });
    });
  });
});
