/** Account Settings, refusals: field-level errors, nothing saved on error, password policy, step-up, links. */
import { and, eq } from "drizzle-orm";
import { describe, expect, it, vi } from "vitest";
import { emailOutbox, users } from "../../../worker/db/schema";
import { createCustomer, createSession, db } from "../../factories";
import { expectError, testClient, signedInCustomer } from "../../helpers";

// The first test of a file pays for loading the security modules (WebAuthn library, otpauth, the common-password
// list) into a fresh isolate, plus several 100k-iteration hashes: seconds on a
// busy 2-core machine. The default 5 s would make that flaky, not the code.
vi.setConfig({ testTimeout: 30_000 });

const profile = (over: Record<string, unknown> = {}) => ({ firstName: "Changed", lastName: "User", email: "", phone: "", timeZone: "UTC", ...over });

describe("Personal Profile errors", () => {
  it("reports bad fields one by one and saves nothing", async () => {
    const { user, client, cookie } = await signedInCustomer();
    const res = await client.request("PUT", "/api/account/profile", {
      cookie,
      body: profile({ email: user.email, firstName: "", phone: "0123", timeZone: "Mars/Olympus", country: "Narnia" }),
    });
    const err = await expectError(res, 400, "VALIDATION_FAILED");
    expect(Object.keys(err.fields!).sort()).toEqual(["country", "firstName", "phone", "timeZone"]);
    expect(err.fields!.phone).toMatch(/international format/);
    const row = await db().select().from(users).where(eq(users.id, user.id)).get();
    expect(row!.firstName).toBe("Test");
  });

  it("asks for a fresh sign-in (step-up) before an email change when the last one is older than 5 minutes", async () => {
    const user = await createCustomer();
    const client = testClient();
    const cookie = await createSession(user.id, client.clock.now(), { authAt: client.clock.now() - 6 * 60_000 });
    const res = await client.request("PUT", "/api/account/profile", { cookie, body: profile({ email: `x-${crypto.randomUUID().slice(0, 6)}@example.test` }) });
    await expectError(res, 403, "STEP_UP_REQUIRED");
    expect(await db().select().from(users).where(and(eq(users.id, user.id), eq(users.firstName, "Changed")))).toHaveLength(0);
  });

  it("refuses an expired or unknown confirmation link", async () => {
    const { user, client, cookie } = await signedInCustomer();
    const newEmail = `late-${crypto.randomUUID().slice(0, 8)}@example.test`;
    await client.request("PUT", "/api/account/profile", { cookie, body: profile({ firstName: "Test", email: newEmail }) });
    const mail = await db().select().from(emailOutbox).where(eq(emailOutbox.toAddress, newEmail)).get();
    const token = new URL(JSON.parse(mail!.data)["email_change.confirm_url"]).searchParams.get("token")!;
    const later = testClient({ now: client.clock.now() + 24 * 3_600_000 + 1 });
    await expectError(await later.request("POST", "/api/account/email/confirm", { body: { token } }), 400, "INVALID_CODE");
    await expectError(await client.request("POST", "/api/account/email/confirm", { body: { token: "A".repeat(43) } }), 400, "INVALID_CODE");
    expect((await db().select().from(users).where(eq(users.id, user.id)).get())!.email).toBe(user.email);
  });
});

describe("Change Password errors", () => {
  const change = (oldPassword: string, newPassword: string, confirmPassword = newPassword) => ({ body: { oldPassword, newPassword, confirmPassword } });

  it("refuses short, common, mangled-common, equal-to-old and mismatched passwords with field messages", async () => {
    const { user, client, cookie } = await signedInCustomer();
    const cases: [string, string, string, RegExp][] = [
      ["short", "short-pass", "short-pass", /at least 12/],
      ["common", "1q2w3e4r5t6y", "1q2w3e4r5t6y", /too common/],
      ["mangled common", "Password2026!", "Password2026!", /too common/],
      // Every entry of the list counts, whatever characters it holds (a `$` entry was once dropped by the build).
      ["listed with a dollar sign", "p030710p$e4o", "p030710p$e4o", /too common/],
      ["same as old", user.password, user.password, /different from the old/],
    ];
    for (const [, pw, confirm, message] of cases) {
      const err = await expectError(await client.request("POST", "/api/account/password", { cookie, ...change(user.password, pw, confirm) }), 400, "VALIDATION_FAILED");
      expect(err.fields!.newPassword).toMatch(message);
    }
    const mismatch = await expectError(await client.request("POST", "/api/account/password", { cookie, ...change(user.password, "violet kettle orbit maple", "violet kettle orbit mapl") }), 400, "VALIDATION_FAILED");
    expect(mismatch.fields!.confirmPassword).toMatch(/do not match/);
    expect((await client.login(user.email, user.password)).res.status).toBe(200);
  });

  it("refuses a wrong old password and counts it toward the sign-in throttle", async () => {
    const { user, client, cookie } = await signedInCustomer();
    const first = await expectError(await client.request("POST", "/api/account/password", { cookie, ...change("wrong password", "violet kettle orbit maple") }), 400, "VALIDATION_FAILED");
    expect(first.fields!.oldPassword).toMatch(/not correct/);
    for (let i = 0; i < 4; i++) await client.request("POST", "/api/account/password", { cookie, ...change("wrong password", "violet kettle orbit maple") });
    // Five failures: the account is now locked for sign-in and for password checks alike.
    await expectError(await client.request("POST", "/api/account/password", { cookie, ...change(user.password, "violet kettle orbit maple") }), 429, "RATE_LIMITED");
    await expectError((await client.login(user.email, user.password)).res, 429, "RATE_LIMITED");
  });
});
