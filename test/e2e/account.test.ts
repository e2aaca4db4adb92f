/**
 * Account security in Chromium, following the manual's account-settings steps as a new user would:
 * Personal Profile (view → Change → Edit Profile), Change Password (old sessions gone), MFA enrolment with a
 * code computed from the key shown on the page, sign-in with the code, a used code refused, a recovery code
 * working once, and a passkey registered and used through Chromium's virtual authenticator (CDP WebAuthn.addVirtualAuthenticator).
 *
 * Each test gets its own user, inserted into the E2E database (test/e2e/users.ts): the seeded demo accounts
 * stay untouched.
 */
import { Secret, TOTP } from "otpauth";
import { describe, expect, inject, test } from "vitest";
import type { Page } from "playwright-core";
import { signIn, useBrowser, mainNav, signInAs, go, signOut } from "./harness";
import { addVirtualAuthenticator } from "./passkeys";
import { e2eSql, newUser, type E2eUser } from "./users";

const TIMEOUT = 15_000;

const EXPECTED_RESOURCE_ERROR = /Failed to load resource: the server responded with a status of (400|401|403|429)/;
const unexpected = (errors: string[]) => errors.filter((e) => !EXPECTED_RESOURCE_ERROR.test(e));




/** The confirmation link in the email the app sent to `address` (SMTP sink of the E2E stack), polled. */
async function confirmationLink(address: string): Promise<string> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const messages = (await (await fetch(`http://127.0.0.1:${inject("smtpControlPort")}/messages`)).json()) as { envelope: { to: string[] }; html: string | null; text: string | null }[];
    const mail = messages.find((m) => m.envelope.to.includes(address));
    const url = `${mail?.text ?? ""} ${mail?.html ?? ""}`.match(/https?:\/\/[^\s"'<>]+\/confirm-email\?token=[A-Za-z0-9_-]{43}/)?.[0];
    if (url) return new URL(url).pathname + new URL(url).search;
    if (Date.now() > deadline) throw new Error(`no confirmation email for ${address}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

const totpAt = (secret: string, at: number) => new TOTP({ algorithm: "SHA1", digits: 6, period: 30, secret: Secret.fromBase32(secret) }).generate({ timestamp: at });

/** A fresh user signs in, opens Multi Factor Authentication and turns it on: the page shows the key to enrol. */
async function newUserEnrolling(page: Page, label: string): Promise<E2eUser> {
  const user = await newUser(label);
  await signInAs(page, user);
  await go(page, "Multi Factor Authentication");
  await page.getByRole("switch", { name: "Please Enable your MFA First" }).check();
  return user;
}

describe("Account Settings", () => {
  const b = useBrowser();

  test("Personal Profile: view mode, Change, field errors save nothing, Edit Profile saves", async () => {
    const user = await newUser("profile");
    await signInAs(b.page, user);
    await go(b.page, "Personal Profile");
    const breadcrumb = b.page.getByRole("navigation", { name: "Breadcrumb" });
    expect((await breadcrumb.textContent())?.replace(/\s+/g, " ")).toContain("User Management & Services » Account Settings » Personal Profile");
    // View mode: details, no inputs.
    await b.page.getByRole("main").getByText(user.email).waitFor({ timeout: TIMEOUT });
    expect(await b.page.getByLabel("Phone number").count()).toBe(0);
    await b.page.getByRole("button", { name: "Change", exact: true }).click();
    await b.page.getByLabel("First name").fill("Erin-Mae");
    await b.page.getByLabel("Phone number").fill("12345");
    await b.page.getByRole("button", { name: "Edit Profile", exact: true }).click();
    await b.page.getByText("Enter the number in international format").waitFor({ timeout: TIMEOUT });
    expect(await b.page.getByLabel("Phone number").getAttribute("aria-invalid")).toBe("true");
    // Nothing was saved.
    const before = await b.page.evaluate(() => fetch("/api/account/profile").then((r) => r.json()));
    expect(before.firstName).toBe("Erin");

    await b.page.getByLabel("Phone number").fill("+1 (512) 555-0199");
    await b.page.getByLabel("City").fill("Round Rock");
    await b.page.getByLabel("Job title / other details").fill("Data engineer");
    await b.page.getByRole("button", { name: "Edit Profile", exact: true }).click();
    await b.page.getByRole("status").filter({ hasText: "Profile saved." }).waitFor({ timeout: TIMEOUT });
    // Back in view mode, showing what is stored (E.164).
    await b.page.getByRole("button", { name: "Change", exact: true }).waitFor();
    await b.page.getByText("+15125550199").waitFor();
    await b.page.getByText("Round Rock").waitFor();
    await b.page.getByRole("main").getByText("Erin-Mae").first().waitFor();

    // A new email address applies only after the link sent to it is opened.
    const newEmail = `e2e-moved-${Date.now()}@kestrel-analytics.example`;
    await b.page.getByRole("button", { name: "Change", exact: true }).click();
    await b.page.getByLabel("Email", { exact: true }).fill(newEmail);
    await b.page.getByRole("button", { name: "Edit Profile", exact: true }).click();
    await b.page.getByRole("status").filter({ hasText: `We sent a confirmation link to ${newEmail}` }).waitFor({ timeout: TIMEOUT });
    await b.page.getByText(`Waiting for confirmation of the new email address ${newEmail}`).waitFor();
    const link = await confirmationLink(newEmail);
    await b.page.goto(link);
    await b.page.getByRole("button", { name: "Confirm email address" }).click();
    await b.page.getByRole("status").filter({ hasText: `Your email address is now ${newEmail}` }).waitFor({ timeout: TIMEOUT });
    expect(unexpected(b.errors)).toEqual([]);
  });

  test("Change Password: Done keeps this session and signs out the other one", async () => {
    const user = await newUser("password");
    await signInAs(b.page, user);
    // A second browser (own cookies) signed in as the same user.
    const other = await b.browser.newContext({ baseURL: b.page.url() });
    const otherPage = await other.newPage();
    await signInAs(otherPage, user);

    await go(b.page, "Change Password");
    await b.page.getByLabel("Old password").fill("not my password");
    await b.page.getByLabel("New password", { exact: true }).fill("river lantern copper 77");
    await b.page.getByLabel("Confirm new password").fill("river lantern copper 77");
    await b.page.getByRole("button", { name: "Done", exact: true }).click();
    await b.page.getByText("The password is not correct.").waitFor({ timeout: TIMEOUT });

    await b.page.getByLabel("Old password").fill(user.password);
    await b.page.getByLabel("New password", { exact: true }).fill("river lantern copper 77");
    await b.page.getByLabel("Confirm new password").fill("river lantern copper 77");
    await b.page.getByRole("button", { name: "Done", exact: true }).click();
    await b.page.getByRole("status").filter({ hasText: "Your password was changed." }).waitFor({ timeout: TIMEOUT });
    // This session continues...
    expect(await b.page.evaluate(() => fetch("/api/auth/session").then((r) => r.status))).toBe(200);
    // ...the other one is gone.
    await otherPage.goto("/account/profile");
    await otherPage.waitForURL((url) => url.pathname === "/sign-in", { timeout: TIMEOUT });
    await other.close();
    await signOut(b.page);
    await signIn(b.page, user.email, "river lantern copper 77");
    await mainNav(b.page).waitFor({ timeout: TIMEOUT });
    expect(unexpected(b.errors)).toEqual([]);
  });

  test("MFA: enrol from the key on the page, sign in with a code, a used code is refused, a recovery code works once", async () => {
    const user = await newUserEnrolling(b.page, "mfa");
    const qr = b.page.getByRole("img", { name: /QR code/ });
    await qr.waitFor({ timeout: TIMEOUT });
    expect(await qr.evaluate((el) => el.tagName.toLowerCase())).toBe("svg");
    const secret = ((await b.page.getByTestId("totp-secret").textContent()) ?? "").replace(/\s+/g, "");
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    const enrolCode = totpAt(secret, Date.now());
    await b.page.getByLabel("MFA token (code)").fill(enrolCode);
    await b.page.getByRole("button", { name: "Submit", exact: true }).click();
    const codesList = b.page.getByRole("list", { name: "Recovery codes" });
    await codesList.waitFor({ timeout: TIMEOUT });
    const recovery = (await codesList.getByRole("listitem").allTextContents()).map((t) => t.trim());
    expect(recovery).toHaveLength(10);
    await b.page.getByRole("button", { name: "Download codes" }).waitFor();
    await signOut(b.page);

    // Password first, then the code page; the code used for enrolment is refused (replay).
    await signIn(b.page, user.email, user.password);
    await b.page.getByRole("heading", { name: "Two-step verification" }).waitFor({ timeout: TIMEOUT });
    const started = Date.now();
    const sameStep = Math.floor(started / 30_000) === Math.floor((Date.now()) / 30_000) ? enrolCode : totpAt(secret, started);
    await b.page.getByLabel("Authentication code").fill(sameStep);
    await b.page.getByRole("button", { name: "Verify", exact: true }).click();
    await b.page.getByText(/already used|not correct/).waitFor({ timeout: TIMEOUT });
    // The next step's code is within the ±1 window and has not been used.
    await b.page.getByLabel("Authentication code").fill(totpAt(secret, Date.now() + 30_000));
    await b.page.getByRole("button", { name: "Verify", exact: true }).click();
    await mainNav(b.page).waitFor({ timeout: TIMEOUT });
    await signOut(b.page);

    // A recovery code works once.
    await signIn(b.page, user.email, user.password);
    await b.page.getByLabel("Authentication code").fill(recovery[0]!);
    await b.page.getByRole("button", { name: "Verify", exact: true }).click();
    await mainNav(b.page).waitFor({ timeout: TIMEOUT });
    await signOut(b.page);
    await signIn(b.page, user.email, user.password);
    await b.page.getByLabel("Authentication code").fill(recovery[0]!);
    await b.page.getByRole("button", { name: "Verify", exact: true }).click();
    await b.page.getByText("The code is not correct.").waitFor({ timeout: TIMEOUT });
    expect(await b.page.evaluate(() => fetch("/api/auth/session").then((r) => r.status))).toBe(401);
    expect(unexpected(b.errors)).toEqual([]);
  });

  test("Passkeys: register one through Chromium's virtual authenticator and sign in with it alone", async () => {
    await addVirtualAuthenticator(b.context, b.page);
    const user = await newUser("passkey");
    await signInAs(b.page, user);
    await go(b.page, "Passkeys & Sessions");
    await b.page.getByLabel("Passkey name").fill("Virtual laptop");
    await b.page.getByRole("button", { name: "Add a passkey" }).click();
    await b.page.getByRole("status").filter({ hasText: 'Passkey "Virtual laptop" added.' }).waitFor({ timeout: TIMEOUT });
    await b.page.getByRole("rowheader", { name: "Virtual laptop" }).waitFor({ timeout: TIMEOUT });
    // This session is listed as the current one.
    await b.page.getByText("(this session)").waitFor();
    await signOut(b.page);

    await b.page.getByRole("button", { name: "Sign in with a passkey" }).click();
    await mainNav(b.page).waitFor({ timeout: TIMEOUT });
    const me = await b.page.evaluate(() => fetch("/api/auth/session").then((r) => r.json()));
    expect(me.user.email).toBe(user.email);
    await go(b.page, "Passkeys & Sessions");
    const row = b.page.getByRole("row").filter({ has: b.page.getByRole("rowheader", { name: "Virtual laptop" }) });
    expect(await row.getByRole("cell").nth(1).textContent()).not.toBe("Never");

    // Step-up in place: with the last re-authentication older than 5 minutes, deleting asks to confirm it's you
    // (here with the passkey), then the deletion goes ahead without leaving the page.
    await e2eSql(`UPDATE sessions SET auth_at = 0 WHERE user_id = (SELECT id FROM users WHERE email = '${user.email}')`);
    await row.getByRole("button", { name: /^Delete/ }).click();
    await b.page.getByRole("dialog", { name: "Delete this passkey?" }).getByRole("button", { name: "Delete passkey" }).click();
    const stepUp = b.page.getByRole("dialog", { name: "Confirm it's you" });
    await stepUp.waitFor({ timeout: TIMEOUT });
    await stepUp.getByRole("button", { name: "Use a passkey" }).click();
    await b.page.getByRole("status").filter({ hasText: 'Passkey "Virtual laptop" deleted.' }).waitFor({ timeout: TIMEOUT });
    await b.page.getByText("You have no passkeys yet.").waitFor({ timeout: TIMEOUT });
    expect(unexpected(b.errors)).toEqual([]);
  });

  test("Step-up with the password: regenerating recovery codes asks in place after 5 minutes and continues", async () => {
    const user = await newUserEnrolling(b.page, "stepup");
    const secret = ((await b.page.getByTestId("totp-secret").textContent()) ?? "").replace(/\s+/g, "");
    await b.page.getByLabel("MFA token (code)").fill(totpAt(secret, Date.now()));
    await b.page.getByRole("button", { name: "Submit", exact: true }).click();
    const codesList = b.page.getByRole("list", { name: "Recovery codes" });
    await codesList.waitFor({ timeout: TIMEOUT });
    const first = (await codesList.getByRole("listitem").allTextContents()).map((t) => t.trim());
    expect(first).toHaveLength(10);
    await e2eSql(`UPDATE sessions SET auth_at = 0 WHERE user_id = (SELECT id FROM users WHERE email = '${user.email}')`);
    await b.page.getByRole("button", { name: "Regenerate recovery codes" }).click();
    const stepUp = b.page.getByRole("dialog", { name: "Confirm it's you" });
    await stepUp.waitFor({ timeout: TIMEOUT });
    await stepUp.getByLabel("Current password").fill(user.password);
    await stepUp.getByLabel("Authentication code or recovery code").fill(first[5]!);
    await stepUp.getByRole("button", { name: "Confirm" }).click();
    await stepUp.waitFor({ state: "hidden", timeout: TIMEOUT });
    await b.page.waitForFunction((old) => {
      const items = Array.from(document.querySelectorAll('[aria-label="Recovery codes"] li'), (li) => li.textContent?.trim() ?? "");
      return items.length === 10 && !items.includes(old);
    }, first[0]!, { timeout: TIMEOUT });
    expect(unexpected(b.errors)).toEqual([]);
  });

  test("MFA required by the Cloud-Admin: a user without MFA sets it up at sign-in, then gets in", async () => {
    // The Cloud-Admin sets the policy on the Multi Factor Authentication screen.
    await signInAs(b.page, { email: "admin@cumulus.example", password: "Cumulus-Admin-2026" });
    await go(b.page, "Multi Factor Authentication");
    const restore = () =>
      b.page.evaluate(() =>
        fetch("/api/admin/mfa-policy", { method: "PUT", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ requireMfaStaff: false, requireMfaAll: false }) }).then((r) => r.status),
      );
    try {
      await b.page.getByLabel("Require MFA for every user (resellers and customers too)").check();
      await b.page.getByRole("button", { name: "Save policy" }).click();
      await b.page.getByRole("status").filter({ hasText: "MFA policy saved." }).waitFor({ timeout: TIMEOUT });

      const user = await newUser("required");
      const ctx = await b.browser.newContext({ baseURL: new URL(b.page.url()).origin });
      try {
        const page = await ctx.newPage();
        await page.goto("/sign-in");
        await signIn(page, user.email, user.password);
        await page.getByRole("heading", { name: "Set up multi-factor authentication" }).waitFor({ timeout: TIMEOUT });
        // Nothing else is reachable while enrolment is pending.
        expect(await page.evaluate(() => fetch("/api/account/profile").then((r) => r.status))).toBe(401);
        const secret = ((await page.getByTestId("totp-secret").textContent()) ?? "").replace(/\s+/g, "");
        await page.getByLabel("MFA token (code)").fill(totpAt(secret, Date.now()));
        await page.getByRole("button", { name: "Submit", exact: true }).click();
        await page.getByRole("list", { name: "Recovery codes" }).waitFor({ timeout: TIMEOUT });
        await page.getByRole("button", { name: "Continue" }).click();
        await mainNav(page).waitFor({ timeout: TIMEOUT });
        expect(await page.evaluate(() => fetch("/api/account/mfa").then((r) => r.json()))).toMatchObject({ totpEnabled: true, required: true });
      } finally {
        await ctx.close();
      }
    } finally {
      expect(await restore()).toBe(200);
    }
    expect(unexpected(b.errors)).toEqual([]);
  });
});
