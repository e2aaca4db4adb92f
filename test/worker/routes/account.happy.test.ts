/** Account Settings, happy paths: Personal Profile (incl. confirmed email change), Change Password, sessions. */
import { and, eq, isNull } from "drizzle-orm";
import { describe, expect, it, vi } from "vitest";
import { emailChanges, emailOutbox, sessions, users } from "../../../worker/db/schema";
import { createCustomer, db } from "../../factories";
import { cookieFrom, signedIn, testClient, expectAudit, auditRows, signedInCustomer } from "../../helpers";

// The first test of a file pays for loading the security modules (WebAuthn library, otpauth, the common-password
// list) into a fresh isolate, plus several 100k-iteration hashes: seconds on a
// busy 2-core machine. The default 5 s would make that flaky, not the code.
vi.setConfig({ testTimeout: 30_000 });

describe("Personal Profile", () => {
  it("shows the profile and saves edits, storing the phone in E.164, with an audit diff", async () => {
    const { user, client, cookie } = await signedInCustomer();
    const view = await client.request("GET", "/api/account/profile", { cookie });
    expect(view.status).toBe(200);
    expect(await view.json()).toMatchObject({ email: user.email, firstName: "Test", pendingEmail: null });

    const res = await client.request("PUT", "/api/account/profile", {
      cookie,
      body: { firstName: "Ada", lastName: "Lovelace", email: user.email, phone: "+44 (20) 7946-0000", country: "gb", city: "London", timeZone: "Europe/London", jobTitle: "CTO" },
    });
    expect(res.status, await res.clone().text()).toBe(200);
    const body = (await res.json()) as { profile: { phone: string; country: string }; emailConfirmationSent: boolean };
    expect(body.emailConfirmationSent).toBe(false);
    expect(body.profile).toMatchObject({ phone: "+442079460000", country: "GB", city: "London", timeZone: "Europe/London", jobTitle: "CTO" });
    const [audit] = await auditRows({ targetId: user.id, action: "account.profile_updated" });
    expect(JSON.parse(audit!.diff)).toMatchObject({ firstName: { before: "Test", after: "Ada" }, phone: { before: null, after: "+442079460000" } });
  });

  it("changes the email only after the link sent to the new address is opened; the old address is told", async () => {
    const { user, client, cookie } = await signedInCustomer();
    const newEmail = `new-${crypto.randomUUID().slice(0, 8)}@example.test`;
    const res = await client.request("PUT", "/api/account/profile", {
      cookie,
      body: { firstName: "Test", lastName: "User", email: newEmail.toUpperCase(), timeZone: "UTC" },
    });
    expect(res.status, await res.clone().text()).toBe(200);
    const body = (await res.json()) as { profile: { email: string; pendingEmail: { email: string } }; emailConfirmationSent: boolean };
    expect(body.emailConfirmationSent).toBe(true);
    expect(body.profile.email).toBe(user.email); // not yet
    expect(body.profile.pendingEmail.email).toBe(newEmail);

    const mail = await db().select().from(emailOutbox).where(and(eq(emailOutbox.toAddress, newEmail), eq(emailOutbox.event, "email.change_confirmation"))).get();
    const url = JSON.parse(mail!.data)["email_change.confirm_url"] as string;
    expect(url).toMatch(/^http:\/\/localhost:8787\/confirm-email\?token=[A-Za-z0-9_-]{43}$/);
    const token = new URL(url).searchParams.get("token")!;
    // Only a hash of the token is stored.
    expect(JSON.stringify(await db().select().from(emailChanges).where(eq(emailChanges.userId, user.id)))).not.toContain(token);

    const confirm = await testClient().request("POST", "/api/account/email/confirm", { body: { token } });
    expect(confirm.status, await confirm.clone().text()).toBe(200);
    expect((await db().select({ email: users.email }).from(users).where(eq(users.id, user.id)).get())!.email).toBe(newEmail);
    const notice = await db().select().from(emailOutbox).where(and(eq(emailOutbox.toAddress, user.email), eq(emailOutbox.event, "email.change_notice"))).get();
    expect(JSON.parse(notice!.data)["email_change.new_email"]).toBe(newEmail);
    await expectAudit({ targetId: user.id, action: "account.email_changed" });

    // Single use.
    const again = await testClient().request("POST", "/api/account/email/confirm", { body: { token } });
    expect(again.status).toBe(400);
  });
});

describe("Change Password", () => {
  it("changes the password, signs out every other session, keeps this one under a new id, and queues the email", async () => {
    const { user, client, cookie: other } = await signedInCustomer();
    const cookie = await signedIn(client, user);
    const res = await client.request("POST", "/api/account/password", {
      cookie,
      body: { oldPassword: user.password, newPassword: "violet kettle orbit maple", confirmPassword: "violet kettle orbit maple" },
    });
    expect(res.status, await res.clone().text()).toBe(204);
    const rotated = cookieFrom(res);
    expect(rotated).toMatch(/^cumulus_session=.{43}$/);
    expect(rotated).not.toBe(cookie);
    expect((await client.request("GET", "/api/auth/session", { cookie: rotated })).status).toBe(200);
    expect((await client.request("GET", "/api/auth/session", { cookie: other })).status).toBe(401);
    expect((await client.request("GET", "/api/auth/session", { cookie })).status).toBe(401);

    expect((await client.login(user.email, user.password)).res.status).toBe(401);
    expect((await client.login(user.email, "violet kettle orbit maple")).res.status).toBe(200);
    const mail = await db().select().from(emailOutbox).where(and(eq(emailOutbox.toAddress, user.email), eq(emailOutbox.event, "password.changed"))).all();
    expect(mail).toHaveLength(1);
    const [audit] = await auditRows({ targetId: user.id, action: "account.password_changed" });
    expect(audit!.diff).not.toContain("violet");
  });
});

describe("sessions", () => {
  it("lists the user's sessions with the current one marked, and signs out the others", async () => {
    const { user, client, cookie: a } = await signedInCustomer();
    const b = await signedIn(client, user);
    const list = await client.request("GET", "/api/account/sessions", { cookie: b });
    const items = ((await list.json()) as { items: { id: string; current: boolean }[] }).items;
    expect(items).toHaveLength(2);
    expect(items.filter((s) => s.current)).toHaveLength(1);
    const res = await client.request("POST", "/api/account/sessions/revoke-others", { cookie: b });
    expect(await res.json()).toEqual({ revoked: 1 });
    expect((await client.request("GET", "/api/auth/session", { cookie: a })).status).toBe(401);
    expect((await client.request("GET", "/api/auth/session", { cookie: b })).status).toBe(200);
    const live = await db().select().from(sessions).where(and(eq(sessions.userId, user.id), isNull(sessions.revokedAt)));
    expect(live).toHaveLength(1);
  });

  it("signs out one other session by its listed id", async () => {
    const { user, client, cookie: a } = await signedInCustomer();
    const b = await signedIn(client, user);
    const items = ((await (await client.request("GET", "/api/account/sessions", { cookie: b })).json()) as { items: { id: string; current: boolean }[] }).items;
    const otherId = items.find((s) => !s.current)!.id;
    expect((await client.request("DELETE", `/api/account/sessions/${otherId}`, { cookie: b })).status).toBe(204);
    expect((await client.request("GET", "/api/auth/session", { cookie: a })).status).toBe(401);
  });
});
