/**
 * TOTP MFA, security promises (docs/decisions/006-mfa-passkeys-step-up.md): single use incl. concurrent submission, window ±1,
 * at most 5 attempts per 30 s per user, seeds sealed and never returned, recovery codes hashed, step-up enforced.
 */
import { eq } from "drizzle-orm";
import { describe, expect, it, vi } from "vitest";
import { recoveryCodes, totpCredentials } from "../../../worker/db/schema";
import { createOrg, createSession, createUser, db } from "../../factories";
import { expectError, signedIn, testClient } from "../../helpers";
import { enrolTotp, totpCode } from "../../security";

// The first test of a file pays for loading the security modules (WebAuthn library, otpauth, the common-password
// list) into a fresh isolate, plus several 100k-iteration hashes: seconds on a
// busy 2-core machine. The default 5 s would make that flaky, not the code.
vi.setConfig({ testTimeout: 30_000 });

async function enrolled() {
  const org = await createOrg();
  const user = await createUser({ orgId: org.id, role: "customer" });
  const client = testClient();
  const e = await enrolTotp(client, await signedIn(client, user));
  return { user, client, ...e };
}

describe("TOTP replay", () => {
  it("refuses a code that was already used, even on another half-signed-in session", async () => {
    const { user, client, secret } = await enrolled();
    const code = totpCode(secret, client.clock.now());
    const a = (await client.login(user.email, user.password)).cookie;
    const b = (await client.login(user.email, user.password)).cookie;
    expect((await client.request("POST", "/api/auth/mfa/verify", { cookie: a, body: { code } })).status).toBe(200);
    const replay = await expectError(await client.request("POST", "/api/auth/mfa/verify", { cookie: b, body: { code } }), 400, "INVALID_CODE");
    expect(replay.message).toMatch(/already used/);
  });

  it("accepts exactly one of five concurrent submissions of the same code (compare-and-set)", async () => {
    const { user, client, secret } = await enrolled();
    const code = totpCode(secret, client.clock.now());
    const halves = [];
    for (let i = 0; i < 5; i++) halves.push((await client.login(user.email, user.password)).cookie);
    const results = await Promise.all(halves.map((cookie) => client.request("POST", "/api/auth/mfa/verify", { cookie, body: { code } })));
    expect(results.map((r) => r.status).sort()).toEqual([200, 400, 400, 400, 400]);
  });

  it("an older code than the last one used is refused too (counter only moves forward)", async () => {
    const { user, client, secret } = await enrolled();
    const a = (await client.login(user.email, user.password)).cookie;
    expect((await client.request("POST", "/api/auth/mfa/verify", { cookie: a, body: { code: totpCode(secret, client.clock.now(), 1) } })).status).toBe(200);
    const b = (await client.login(user.email, user.password)).cookie;
    await expectError(await client.request("POST", "/api/auth/mfa/verify", { cookie: b, body: { code: totpCode(secret, client.clock.now(), 0) } }), 400, "INVALID_CODE");
  });
});

describe("TOTP window", () => {
  it("accepts codes one step early or late and refuses two steps away", async () => {
    for (const [offset, expected] of [[-2, 400], [-1, 200], [1, 200], [2, 400]] as const) {
      const { user, client, secret } = await enrolled();
      client.clock.advance(120_000); // beyond the enrolment step, so −2 is not simply "already used"
      const half = (await client.login(user.email, user.password)).cookie;
      const res = await client.request("POST", "/api/auth/mfa/verify", { cookie: half, body: { code: totpCode(secret, client.clock.now(), offset) } });
      expect(res.status, `offset ${offset}`).toBe(expected);
    }
  });
});

describe("brute force", () => {
  it("allows at most 5 codes per 30 seconds per user, then answers 429 with Retry-After", async () => {
    const { user, client, secret } = await enrolled();
    const half = (await client.login(user.email, user.password)).cookie;
    const wrong = totpCode(secret, client.clock.now()) === "000000" ? "111111" : "000000";
    for (let i = 0; i < 5; i++) await expectError(await client.request("POST", "/api/auth/mfa/verify", { cookie: half, body: { code: wrong } }), 400, "INVALID_CODE");
    const limited = await client.request("POST", "/api/auth/mfa/verify", { cookie: half, body: { code: totpCode(secret, client.clock.now()) } });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    // Parallel guesses cannot slip past the limit either: the counter is reserved before checking.
    const burst = await Promise.all(Array.from({ length: 10 }, () => client.request("POST", "/api/auth/mfa/verify", { cookie: half, body: { code: wrong } })));
    expect(burst.every((r) => r.status === 429)).toBe(true);
    client.clock.advance(30_001);
    const ok = await client.request("POST", "/api/auth/mfa/verify", { cookie: half, body: { code: totpCode(secret, client.clock.now()) } });
    expect(ok.status).toBe(200);
  });

  it("a sustained guessing attack (200 guesses over 200 simulated seconds) gets at most 5 checks per 30 s", async () => {
    const { user, client } = await enrolled();
    let half = (await client.login(user.email, user.password)).cookie;
    let checked = 0;
    const start = client.clock.now();
    for (let i = 0; i < 200; i++) {
      const res = await client.request("POST", "/api/auth/mfa/verify", { cookie: half, body: { code: String(100000 + i) } });
      if (res.status === 400) checked++;
      if (res.status === 401) half = (await client.login(user.email, user.password)).cookie; // half-session expired
      client.clock.advance(1_000);
    }
    const windows = Math.ceil((client.clock.now() - start) / 30_000);
    expect(checked).toBeLessThanOrEqual(5 * windows);
  });
});

describe("secrets at rest", () => {
  it("stores the seed sealed (AES-GCM) and recovery codes hashed; no API returns them after enrolment", async () => {
    const { user, client, secret, recoveryCodes: codes, cookie } = await enrolled();
    const row = await db().select().from(totpCredentials).where(eq(totpCredentials.userId, user.id)).get();
    expect(row!.secretSealed).toMatch(/^v1\./);
    expect(row!.secretSealed).not.toContain(secret);
    const hashes = await db().select().from(recoveryCodes).where(eq(recoveryCodes.userId, user.id));
    expect(hashes).toHaveLength(10);
    const dump = JSON.stringify(hashes);
    for (const c of codes) {
      expect(dump).not.toContain(c);
      expect(dump).not.toContain(c.replace(/-/g, ""));
    }
    for (const path of ["/api/account/mfa", "/api/account/profile", "/api/auth/session"]) {
      expect(await (await client.request("GET", path, { cookie })).text()).not.toContain(secret);
    }
    // A second setup while MFA is on cannot read or replace the seed.
    await expectError(await client.request("POST", "/api/account/mfa/totp/setup", { cookie }), 409, "CONFLICT");
  });

  it("a sealed seed copied to another user's row does not decrypt (AAD binds it to its owner)", async () => {
    const a = await enrolled();
    const b = await enrolled();
    const sealedA = (await db().select().from(totpCredentials).where(eq(totpCredentials.userId, a.user.id)).get())!.secretSealed;
    await db().update(totpCredentials).set({ secretSealed: sealedA }).where(eq(totpCredentials.userId, b.user.id));
    const half = (await b.client.login(b.user.email, b.user.password)).cookie;
    const res = await b.client.request("POST", "/api/auth/mfa/verify", { cookie: half, body: { code: totpCode(a.secret, b.client.clock.now()) } });
    expect(res.status).toBe(500); // fails closed: never a sign-in
  });
});

describe("step-up", () => {
  it("disable MFA and regenerating codes need a re-authentication within 5 minutes", async () => {
    const { user, client, secret } = await enrolled();
    const stale = await createSession(user.id, client.clock.now(), { authAt: client.clock.now() - 5 * 60_000 - 1 });
    await expectError(await client.request("POST", "/api/account/mfa/disable", { cookie: stale, body: { code: totpCode(secret, client.clock.now()) } }), 403, "STEP_UP_REQUIRED");
    await expectError(await client.request("POST", "/api/account/mfa/recovery-codes", { cookie: stale }), 403, "STEP_UP_REQUIRED");
    // Step-up with the password alone is not enough when MFA is on, and a wrong password is refused.
    await expectError(await client.request("POST", "/api/auth/step-up", { cookie: stale, body: { password: user.password } }), 400, "VALIDATION_FAILED");
    await expectError(await client.request("POST", "/api/auth/step-up", { cookie: stale, body: { password: "wrong", code: totpCode(secret, client.clock.now()) } }), 400, "VALIDATION_FAILED");
    expect(await db().select().from(totpCredentials).where(eq(totpCredentials.userId, user.id))).toHaveLength(1);
  });

  it("disabling needs a valid code even right after sign-in", async () => {
    const { client, cookie } = await enrolled();
    await expectError(await client.request("POST", "/api/account/mfa/disable", { cookie, body: { code: "123456" } }), 400, "INVALID_CODE");
  });
});
