/**
 * "Require MFA" with a passkey-only user, in Chromium with its virtual authenticator: after the password the
 * sign-in asks for the passkey (no TOTP enrolment, no code field), and the passkey completes the sign-in.
 */
import { describe, expect, test } from "vitest";
import type { Page } from "playwright-core";
import { signIn, useBrowser } from "./harness";
import { addVirtualAuthenticator } from "./passkeys";
import { newUser } from "./users";

const TIMEOUT = 20_000;
const ADMIN = { email: "admin@cumulus.example", password: "Cumulus-Admin-2026" };
const EXPECTED_RESOURCE_ERROR = /Failed to load resource: the server responded with a status of (401|403)/;
const unexpected = (errors: string[]) => errors.filter((e) => !EXPECTED_RESOURCE_ERROR.test(e));
const mainNav = (page: Page) => page.getByRole("navigation", { name: "Main" });

async function signInWithPassword(page: Page, email: string, password: string) {
  await page.goto("/sign-in");
  await page.getByRole("heading", { name: "Sign in" }).waitFor({ timeout: TIMEOUT });
  await signIn(page, email, password);
}

const setPolicy = (page: Page, requireMfaAll: boolean) =>
  page.evaluate(
    (all) => fetch("/api/admin/mfa-policy", { method: "PUT", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ requireMfaStaff: false, requireMfaAll: all }) }).then((r) => r.status),
    requireMfaAll,
  );

describe("require MFA: a passkey satisfies it", () => {
  const b = useBrowser();

  test("a passkey-only user signs in with password + passkey, never sent to TOTP enrolment", async () => {
    await addVirtualAuthenticator(b.context, b.page);
    const user = await newUser("passkey-mfa");
    const page = b.page;
    await signInWithPassword(page, user.email, user.password);
    await mainNav(page).waitFor({ timeout: TIMEOUT });
    await mainNav(page).getByRole("link", { name: "Passkeys & Sessions", exact: true }).click();
    await page.getByLabel("Passkey name").fill("Virtual key");
    await page.getByRole("button", { name: "Add a passkey" }).click();
    await page.getByRole("status").filter({ hasText: 'Passkey "Virtual key" added.' }).waitFor({ timeout: TIMEOUT });
    await page.getByRole("button", { name: /^Signed in as / }).click();
    await page.getByRole("button", { name: "Sign out", exact: true }).click();
    await page.waitForURL((url) => url.pathname === "/sign-in", { timeout: TIMEOUT });

    // The Cloud-Admin requires MFA for everyone (own browser context).
    const adminContext = await b.browser.newContext({ baseURL: new URL(page.url()).origin });
    const admin = await adminContext.newPage();
    try {
      await signInWithPassword(admin, ADMIN.email, ADMIN.password);
      await mainNav(admin).waitFor({ timeout: TIMEOUT });
      expect(await setPolicy(admin, true)).toBe(200);

      await signInWithPassword(page, user.email, user.password);
      await page.getByRole("heading", { name: "Two-step verification" }).waitFor({ timeout: TIMEOUT });
      expect(await page.getByRole("heading", { name: "Set up multi-factor authentication" }).count()).toBe(0);
      expect(await page.getByLabel("Authentication code").count()).toBe(0);
      // Half signed in: nothing else is reachable yet.
      expect(await page.evaluate(() => fetch("/api/account/profile").then((r) => r.status))).toBe(401);
      await page.getByRole("button", { name: "Use a passkey" }).click();
      await mainNav(page).waitFor({ timeout: TIMEOUT });
      const me = (await page.evaluate(() => fetch("/api/auth/session").then((r) => r.json()))) as { user: { email: string } };
      expect(me.user.email).toBe(user.email);
    } finally {
      expect(await setPolicy(admin, false)).toBe(200);
      await adminContext.close();
    }
    expect(unexpected(b.errors)).toEqual([]);
  });
});
