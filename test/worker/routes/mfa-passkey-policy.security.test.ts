/**
 * "Require MFA" with passkeys. Threat: the policy exists so a stolen password alone never signs anyone in. A
 * passkey (possession + user verification) satisfies it, so a passkey-only user who signs in with a password
 * proves the second step with the passkey (not TOTP enrolment), only with one of THEIR passkeys, only while
 * the session waits for it; and their last second factor cannot be removed while the policy stands. Also:
 * `mfa_attempts` rows are purged by the cron once their window is over.
 */
import { createExecutionContext, createScheduledController } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { mfaAttempts, securitySettings } from "../../../worker/db/schema";
import worker from "../../../worker/index";
import { MFA_WINDOW_MS } from "../../../worker/domain/mfa/internal";
import { testNow } from "../../clock";
import { createOrg, createUser, db } from "../../factories";
import { cookieFrom, expectError, signedIn, testClient, type TestClient, auditRows } from "../../helpers";
import { enrolTotp, registerPasskey, totpCode, type SoftAuthenticator } from "../../security";

vi.setConfig({ testTimeout: 30_000 });

const setPolicy = (requireMfaAll: boolean) =>
  db().insert(securitySettings).values({ id: "platform", requireMfaStaff: false, requireMfaAll, updatedAt: testNow() })
    .onConflictDoUpdate({ target: securitySettings.id, set: { requireMfaAll, requireMfaStaff: false, updatedAt: testNow() } });

async function customerWithPasskey(client: TestClient) {
  const org = await createOrg();
  const user = await createUser({ orgId: org.id, role: "customer" });
  const cookie = await signedIn(client, user); // before the policy: a plain password sign-in
  const key = await registerPasskey(client, cookie);
  return { user, cookie, key };
}

async function secondStepWithPasskey(client: TestClient, half: string, key: SoftAuthenticator) {
  const optionsRes = await client.request("POST", "/api/auth/mfa/passkey/options", { cookie: half });
  expect(optionsRes.status, await optionsRes.clone().text()).toBe(200);
  const options = (await optionsRes.json()) as { challenge: string; rpId: string; allowCredentials: { id: string }[] };
  return { options, res: await client.request("POST", "/api/auth/mfa/passkey/verify", { cookie: half, body: { response: await key.assert(options) } }) };
}

describe("require MFA: a passkey satisfies it", () => {
  const client = testClient({ now: testNow() });
  let alice: Awaited<ReturnType<typeof customerWithPasskey>>;
  let bob: Awaited<ReturnType<typeof customerWithPasskey>>;
  beforeAll(async () => {
    alice = await customerWithPasskey(client);
    bob = await customerWithPasskey(client);
    await setPolicy(true);
  });
  afterAll(async () => {
    await setPolicy(false);
  });

  it("a passkey-only user's password leads to a passkey second step, not TOTP enrolment; the passkey completes the sign-in", async () => {
    const { res, cookie: half } = await client.login(alice.user.email, alice.user.password);
    expect(await res.json()).toMatchObject({ next: "mfa", methods: ["passkey"] });
    await expectError(await client.request("GET", "/api/account/profile", { cookie: half }), 401, "UNAUTHENTICATED");
    // No authenticator app: a code is no way in.
    await expectError(await client.request("POST", "/api/auth/mfa/verify", { cookie: half, body: { code: "123456" } }), 400, "INVALID_CODE");

    const { options, res: done } = await secondStepWithPasskey(client, half, alice.key);
    expect(options.allowCredentials.map((c) => c.id)).toEqual([alice.key.id]);
    expect(done.status, await done.clone().text()).toBe(200);
    const full = cookieFrom(done);
    expect(full).not.toBe(half);
    expect((await client.request("GET", "/api/account/profile", { cookie: full })).status).toBe(200);
    // The half-signed-in cookie is worth nothing afterwards (rotated).
    await expectError(await client.request("GET", "/api/auth/session", { cookie: half }), 401, "UNAUTHENTICATED");
    const audit = await auditRows({ targetId: alice.user.id, action: "auth.sign_in" });
    expect(audit.some((a) => (a.diff ?? "").includes("password+passkey"))).toBe(true);
  });

  it("only the user's own passkey, only while the sign-in waits, each challenge once", async () => {
    const { cookie: half } = await client.login(alice.user.email, alice.user.password);
    const stolen = await secondStepWithPasskey(client, half, bob.key); // Bob's authenticator answers Alice's challenge
    await expectError(stolen.res, 400, "INVALID_CODE");
    const first = await secondStepWithPasskey(client, half, alice.key);
    expect(first.res.status).toBe(200);
    // A consumed challenge is worth nothing in the next half-signed-in session either.
    const { cookie: half2 } = await client.login(alice.user.email, alice.user.password);
    const replay = await client.request("POST", "/api/auth/mfa/passkey/verify", { cookie: half2, body: { response: await alice.key.assert(first.options) } });
    await expectError(replay, 400, "INVALID_CODE");
    // A full session has no sign-in waiting.
    await expectError(await client.request("POST", "/api/auth/mfa/passkey/options", { cookie: cookieFrom(first.res) }), 409, "CONFLICT");
    await expectError(await client.request("POST", "/api/auth/mfa/passkey/options"), 401, "UNAUTHENTICATED");
  });

  it("a user with no second factor still enrols; TOTP + passkey users may use either", async () => {
    const org = await createOrg();
    const plain = await createUser({ orgId: org.id, role: "customer" });
    expect(await (await client.login(plain.email, plain.password)).res.json()).toMatchObject({ next: "enrol", methods: [] });

    const { user: both, key, totp } = await withPasskeyAndTotp(client);
    const { res, cookie: half } = await client.login(both.email, both.password);
    expect(await res.json()).toMatchObject({ next: "mfa", methods: ["totp", "recovery_code", "passkey"] });
    const { res: done } = await secondStepWithPasskey(client, half, key);
    expect(done.status).toBe(200);
    expect(totp.secret).toBeTruthy();
  });

  it("the last second factor cannot be removed while the policy requires MFA", async () => {
    // Alice (passkey only) cannot delete her only passkey.
    const fresh = await signedInWithPasskey(client, alice);
    await expectError(await client.request("DELETE", `/api/account/passkeys/${alice.key.id}`, { cookie: fresh }), 403, "MFA_REQUIRED");
    // A TOTP user who also has a passkey may turn the authenticator app off: the passkey still satisfies MFA.
    const { user: carol, key, totp } = await withPasskeyAndTotp(client);
    client.clock.advance(30_000);
    const off = await client.request("POST", "/api/account/mfa/disable", { cookie: totp.cookie, body: { code: totpCode(totp.secret, client.clock.now()) } });
    expect(off.status, await off.clone().text()).toBe(204);
    expect(await (await client.login(carol.email, carol.password)).res.json()).toMatchObject({ next: "mfa", methods: ["passkey"] });
    expect(key.id).toBeTruthy();
  });
});

/** A user with a passkey and TOTP, set up while no policy applies (the policy is back on afterwards). */
async function withPasskeyAndTotp(client: TestClient) {
  const org = await createOrg();
  const user = await createUser({ orgId: org.id, role: "customer" });
  await setPolicy(false);
  const cookie = await signedIn(client, user);
  const key = await registerPasskey(client, cookie);
  const totp = await enrolTotp(client, cookie);
  await setPolicy(true);
  return { user, key, totp };
}

async function signedInWithPasskey(client: TestClient, who: { user: { email: string; password: string }; key: SoftAuthenticator }) {
  const { cookie: half } = await client.login(who.user.email, who.user.password);
  const { res } = await secondStepWithPasskey(client, half, who.key);
  expect(res.status).toBe(200);
  return cookieFrom(res);
}

describe("without the policy", () => {
  it("a passkey stays an alternative sign-in: the password alone still signs a passkey-only user in", async () => {
    const client = testClient({ now: testNow() });
    const { user } = await customerWithPasskey(client);
    const body = (await (await client.login(user.email, user.password)).res.json()) as { user?: unknown; next?: string };
    expect(body.next).toBeUndefined();
    expect(body.user).toBeDefined();
  });
});

describe("cron housekeeping", () => {
  it("purges second-factor attempt rows whose window is over and keeps live ones", async () => {
    const org = await createOrg();
    const [old, live] = [await createUser({ orgId: org.id, role: "customer" }), await createUser({ orgId: org.id, role: "customer" })];
    const now = Date.now(); // the cron runs on the Worker's clock (shifted like testNow() when TEST_NOW is set)
    const offset = testNow() - now;
    await db().insert(mfaAttempts).values([
      { userId: old.id, windowStartedAt: now + offset - MFA_WINDOW_MS - 60_000, attempts: 5 },
      { userId: live.id, windowStartedAt: now + offset + 60_000, attempts: 2 },
    ]);
    await worker.scheduled(createScheduledController({ scheduledTime: now, cron: "*/15 * * * *" }), env, createExecutionContext());
    const left = await db().all<{ user_id: string }>(sql`SELECT user_id FROM mfa_attempts WHERE user_id IN (${old.id}, ${live.id})`);
    expect(left.map((r) => r.user_id)).toEqual([live.id]);
  });
});
