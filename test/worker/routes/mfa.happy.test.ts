/** TOTP MFA, happy paths: enrolment, the second sign-in step, recovery codes, step-up, disabling, policy. */
import { and, eq } from "drizzle-orm";
import { describe, expect, it, vi } from "vitest";
import { emailOutbox, recoveryCodes, totpCredentials } from "../../../worker/db/schema";
import { createCustomer, createOrg, createUser, db } from "../../factories";
import { cookieFrom, signedIn, testClient, expectAudit, signedInCustomer } from "../../helpers";
import { enrolTotp, totpCode } from "../../security";

// The first test of a file pays for loading the security modules (WebAuthn library, otpauth, the common-password
// list) into a fresh isolate, plus several 100k-iteration hashes: seconds on a
// busy 2-core machine. The default 5 s would make that flaky, not the code.
vi.setConfig({ testTimeout: 30_000 });

describe("TOTP enrolment", () => {
  it("gives a new secret and an otpauth URI naming issuer and account, then enables MFA with a valid code", async () => {
    const { user, client, cookie } = await signedInCustomer();
    const setup = await client.request("POST", "/api/account/mfa/totp/setup", { cookie });
    const { secret, uri, issuer, account } = (await setup.json()) as { secret: string; uri: string; issuer: string; account: string };
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(issuer).toBe("Cumulus");
    expect(account).toBe(user.email);
    const u = new URL(uri);
    expect(u.protocol).toBe("otpauth:");
    expect(u.host).toBe("totp");
    expect(decodeURIComponent(u.pathname)).toBe(`/Cumulus:${user.email}`);
    expect(u.searchParams.get("issuer")).toBe("Cumulus");
    expect(u.searchParams.get("secret")).toBe(secret);
    expect(u.searchParams.get("period")).toBe("30");
    expect(u.searchParams.get("digits")).toBe("6");

    const enable = await client.request("POST", "/api/account/mfa/totp/enable", { cookie, body: { code: totpCode(secret, client.clock.now()) } });
    expect(enable.status, await enable.clone().text()).toBe(200);
    const { recoveryCodes: codes } = (await enable.json()) as { recoveryCodes: string[] };
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const c of codes) expect(c).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);

    const status = await (await client.request("GET", "/api/account/mfa", { cookie })).json();
    expect(status).toMatchObject({ totpEnabled: true, recoveryCodesRemaining: 10, required: false });
    expect(JSON.stringify(status)).not.toContain(secret);
    expect(await db().select().from(emailOutbox).where(and(eq(emailOutbox.toAddress, user.email), eq(emailOutbox.event, "mfa.enabled")))).toHaveLength(1);
    await expectAudit({ targetId: user.id, action: "mfa.enabled" });
  });
});

describe("sign-in with MFA", () => {
  it("asks for the code after the password, grants nothing before it, and signs in with a fresh session id after it", async () => {
    const user = await createCustomer();
    const client = testClient();
    const { secret } = await enrolTotp(client, await signedIn(client, user));

    const { res, cookie: half } = await client.login(user.email, user.password);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ next: "mfa", methods: ["totp", "recovery_code"] });
    // Half-signed-in: nothing else works.
    expect((await client.request("GET", "/api/auth/session", { cookie: half })).status).toBe(401);
    expect((await client.request("GET", "/api/account/profile", { cookie: half })).status).toBe(401);
    expect((await client.request("POST", "/api/account/mfa/totp/setup", { cookie: half })).status).toBe(401);

    const verify = await client.request("POST", "/api/auth/mfa/verify", { cookie: half, body: { code: totpCode(secret, client.clock.now()) } });
    expect(verify.status, await verify.clone().text()).toBe(200);
    expect(((await verify.json()) as { user: { id: string } }).user.id).toBe(user.id);
    const full = cookieFrom(verify);
    expect(full).not.toBe(half);
    expect((await client.request("GET", "/api/auth/session", { cookie: full })).status).toBe(200);
    // The half-signed-in token is dead after rotation.
    expect((await client.request("POST", "/api/auth/mfa/verify", { cookie: half, body: { code: "000000" } })).status).toBe(401);
  });

  it("accepts a recovery code once instead of the TOTP code", async () => {
    const user = await createCustomer();
    const client = testClient();
    const { recoveryCodes: codes } = await enrolTotp(client, await signedIn(client, user));
    const { cookie: half } = await client.login(user.email, user.password);
    const ok = await client.request("POST", "/api/auth/mfa/verify", { cookie: half, body: { code: codes[3]!.toLowerCase() } });
    expect(ok.status, await ok.clone().text()).toBe(200);
    const { cookie: half2 } = await client.login(user.email, user.password);
    const again = await client.request("POST", "/api/auth/mfa/verify", { cookie: half2, body: { code: codes[3] } });
    expect(again.status).toBe(400);
    const status = await (await client.request("GET", "/api/account/mfa", { cookie: cookieFrom(ok) })).json();
    expect(status).toMatchObject({ recoveryCodesRemaining: 9 });
  });
});

describe("recovery codes, step-up and disabling", () => {
  it("regenerates recovery codes after a step-up; the old ones stop working", async () => {
    const user = await createCustomer();
    const client = testClient();
    const enrolled = await enrolTotp(client, await signedIn(client, user));
    client.clock.advance(6 * 60_000); // the sign-in is now too old for sensitive actions
    const refused = await client.request("POST", "/api/account/mfa/recovery-codes", { cookie: enrolled.cookie });
    expect(refused.status).toBe(403);
    const stepUp = await client.request("POST", "/api/auth/step-up", { cookie: enrolled.cookie, body: { password: user.password, code: totpCode(enrolled.secret, client.clock.now()) } });
    expect(stepUp.status, await stepUp.clone().text()).toBe(204);
    const cookie = cookieFrom(stepUp);
    const res = await client.request("POST", "/api/account/mfa/recovery-codes", { cookie });
    expect(res.status).toBe(200);
    const fresh = ((await res.json()) as { recoveryCodes: string[] }).recoveryCodes;
    expect(fresh).toHaveLength(10);
    const { cookie: half } = await client.login(user.email, user.password);
    expect((await client.request("POST", "/api/auth/mfa/verify", { cookie: half, body: { code: enrolled.recoveryCodes[0] } })).status).toBe(400);
    expect((await client.request("POST", "/api/auth/mfa/verify", { cookie: half, body: { code: fresh[0] } })).status).toBe(200);
  });

  it("disables MFA with step-up and a current code; the seed and recovery codes are deleted", async () => {
    const user = await createCustomer();
    const client = testClient();
    const enrolled = await enrolTotp(client, await signedIn(client, user));
    const res = await client.request("POST", "/api/account/mfa/disable", { cookie: enrolled.cookie, body: { code: totpCode(enrolled.secret, client.clock.now()) } });
    expect(res.status, await res.clone().text()).toBe(204);
    expect(await db().select().from(totpCredentials).where(eq(totpCredentials.userId, user.id))).toHaveLength(0);
    expect(await db().select().from(recoveryCodes).where(eq(recoveryCodes.userId, user.id))).toHaveLength(0);
    expect(await db().select().from(emailOutbox).where(and(eq(emailOutbox.toAddress, user.email), eq(emailOutbox.event, "mfa.disabled")))).toHaveLength(1);
    expect(((await (await client.login(user.email, user.password)).res.json()) as { user?: unknown }).user).toBeDefined();
  });
});

describe("MFA required by the Cloud-Admin", () => {
  it("sends a staff member to enrolment at the next sign-in; enrolment turns the session into a full one", async () => {
    const operator = await createOrg({ kind: "operator" });
    const admin = await createUser({ orgId: operator.id, role: "cloud_admin" });
    const staff = await createUser({ orgId: operator.id, role: "staff", privileges: ["organizations.read"] });
    const client = testClient();
    const adminCookie = await signedIn(client, admin);
    const put = await client.request("PUT", "/api/admin/mfa-policy", { cookie: adminCookie, body: { requireMfaStaff: true, requireMfaAll: false } });
    expect(put.status, await put.clone().text()).toBe(200);
    try {
      const { res, cookie: half } = await client.login(staff.email, staff.password);
      expect(await res.json()).toMatchObject({ next: "enrol" });
      expect((await client.request("GET", "/api/organizations", { cookie: half })).status).toBe(401);
      expect((await client.request("GET", "/api/account/mfa", { cookie: half })).status).toBe(200);
      const setup = (await (await client.request("POST", "/api/account/mfa/totp/setup", { cookie: half })).json()) as { secret: string };
      const enable = await client.request("POST", "/api/account/mfa/totp/enable", { cookie: half, body: { code: totpCode(setup.secret, client.clock.now()) } });
      expect(enable.status).toBe(200);
      const full = cookieFrom(enable);
      expect((await client.request("GET", "/api/organizations", { cookie: full })).status).toBe(200);
      // Required MFA cannot be turned off.
      client.clock.advance(30_000);
      const off = await client.request("POST", "/api/account/mfa/disable", { cookie: full, body: { code: totpCode(setup.secret, client.clock.now()) } });
      expect(off.status).toBe(403);
      // A customer is not affected by the staff-only policy.
      const customerUser = await createCustomer();
      expect(((await (await client.login(customerUser.email, customerUser.password)).res.json()) as { user?: unknown }).user).toBeDefined();
    } finally {
      await client.request("PUT", "/api/admin/mfa-policy", { cookie: adminCookie, body: { requireMfaStaff: false, requireMfaAll: false } });
    }
  });
});
