/**
 * Threats: credential stuffing and brute force (throttling without a permanent lockout), session theft
 * windows (idle/absolute expiry, revocation), and passwords derived above the production PBKDF2 cap.
 */
import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { users } from "../../../worker/db/schema";
import { ACCOUNT_MAX_LOCK_MS, IP_MAX_FAILURES } from "../../../worker/domain/auth/throttle";
import { fromBase64, toBase64 } from "../../../worker/integrations/crypto/encoding";
import { hashPassword, PBKDF2_ITERATIONS, verifyPassword } from "../../../worker/integrations/crypto/password";
import { createCustomer, createOrg, createUser, db } from "../../factories";
import { expectError, freshIp, testClient, signedInCustomer } from "../../helpers";

const MINUTE = 60_000;

describe("throttling", () => {
  it("locks an account after 5 failures with a 429 and Retry-After, then lets the real user back in", async () => {
    const user = await createCustomer();
    const client = testClient();
    for (let i = 0; i < 5; i++) {
      // A different IP each time: the account lock must hold regardless of where attempts come from.
      await expectError((await client.login(user.email, "wrong", freshIp())).res, 401, "INVALID_CREDENTIALS");
    }
    const locked = await client.login(user.email, user.password, freshIp());
    await expectError(locked.res, 429, "RATE_LIMITED");
    expect(Number(locked.res.headers.get("retry-after"))).toBe(30);
    client.clock.advance(31_000);
    expect((await client.login(user.email, user.password, freshIp())).res.status).toBe(200);
    // Success clears the counter: a later single mistake is not throttled.
    await expectError((await client.login(user.email, "wrong", freshIp())).res, 401, "INVALID_CREDENTIALS");
    await expectError((await client.login(user.email, "wrong", freshIp())).res, 401, "INVALID_CREDENTIALS");
  });

  it("under a sustained attack, admits at most ~10 guesses per 15 minutes and never locks longer than 15 minutes", async () => {
    const user = await createCustomer();
    const client = testClient();
    const start = client.clock.now();
    let guessesEvaluated = 0;
    let longestLock = 0;
    while (client.clock.now() - start < 2 * 60 * MINUTE) {
      const { res } = await client.login(user.email, "wrong", freshIp());
      if (res.status === 429) {
        const retryAfter = Number(res.headers.get("retry-after"));
        longestLock = Math.max(longestLock, retryAfter);
        client.clock.advance(retryAfter * 1000);
      } else {
        expect(res.status).toBe(401);
        guessesEvaluated++;
        client.clock.advance(1000);
      }
    }
    expect(longestLock).toBeGreaterThan(0);
    expect(longestLock * 1000).toBeLessThanOrEqual(ACCOUNT_MAX_LOCK_MS);
    expect(guessesEvaluated).toBeLessThanOrEqual(8 * 10); // 8 windows of 15 minutes, ≤ 10 guesses each
    // The attack stops: the real user is back in within 15 minutes at most.
    client.clock.advance(ACCOUNT_MAX_LOCK_MS);
    expect((await client.login(user.email, user.password, freshIp())).res.status).toBe(200);
  });

  it("throttles an IP that fails against many accounts (credential stuffing)", async () => {
    const client = testClient();
    const ip = freshIp();
    for (let i = 0; i < IP_MAX_FAILURES; i++) {
      await client.login(`stuffing-${i}-${crypto.randomUUID()}@example.test`, "guess", ip);
    }
    const user = await createCustomer();
    await expectError((await client.login(user.email, user.password, ip)).res, 429, "RATE_LIMITED");
    // Another IP is unaffected.
    expect((await client.login(user.email, user.password, freshIp())).res.status).toBe(200);
  });

  it("concurrent failures are all counted (atomic upsert)", async () => {
    const user = await createCustomer();
    const client = testClient();
    await Promise.all(Array.from({ length: 8 }, () => client.login(user.email, "wrong", freshIp())));
    await expectError((await client.login(user.email, user.password, freshIp())).res, 429, "RATE_LIMITED");
  });
});

describe("session lifetime", () => {
  it("expires after 30 idle minutes", async () => {
    const { user, client, cookie } = await signedInCustomer();
    client.clock.advance(29 * MINUTE);
    expect((await client.request("GET", "/api/auth/session", { cookie })).status).toBe(200);
    client.clock.advance(29 * MINUTE); // activity above refreshed the idle timer
    expect((await client.request("GET", "/api/auth/session", { cookie })).status).toBe(200);
    client.clock.advance(31 * MINUTE);
    await expectError(await client.request("GET", "/api/auth/session", { cookie }), 401, "UNAUTHENTICATED");
  });

  it("expires 12 hours after sign-in even when active", async () => {
    const { user, client, cookie } = await signedInCustomer();
    for (let elapsed = 0; elapsed < 12 * 60 - 20; elapsed += 20) {
      client.clock.advance(20 * MINUTE);
      expect((await client.request("GET", "/api/auth/session", { cookie })).status).toBe(200);
    }
    client.clock.advance(21 * MINUTE);
    await expectError(await client.request("GET", "/api/auth/session", { cookie }), 401, "UNAUTHENTICATED");
  });

  it("disabling a user ends their sessions at once", async () => {
    const { user, client, cookie } = await signedInCustomer();
    await db().update(users).set({ status: "disabled" }).where(eq(users.id, user.id));
    await expectError(await client.request("GET", "/api/auth/session", { cookie }), 401, "UNAUTHENTICATED");
  });
});

describe("password hashing at the production PBKDF2 cap", () => {
  it("hashes with exactly 100,000 iterations in the self-describing format", async () => {
    const derivations = (globalThis as { __pbkdf2Iterations?: number[] }).__pbkdf2Iterations!;
    const before = derivations.length;
    const hash = await hashPassword("a long and lovely passphrase", env.PASSWORD_PEPPER);
    expect(hash).toMatch(/^pbkdf2-sha256\$100000\$[A-Za-z0-9+/=]{24}\$[A-Za-z0-9+/=]{44}$/);
    expect(derivations.slice(before)).toEqual([PBKDF2_ITERATIONS]);
    expect(PBKDF2_ITERATIONS).toBe(100_000);
    expect((await verifyPassword("a long and lovely passphrase", hash, env.PASSWORD_PEPPER)).ok).toBe(true);
    expect((await verifyPassword("a long and lovely passphrase", hash, "another-pepper-another-pepper-0000")).ok).toBe(false);
  });

  it("the test runtime refuses derivations above 100,000, exactly like production Workers", async () => {
    const key = await crypto.subtle.importKey("raw", new Uint8Array(16), "PBKDF2", false, ["deriveBits"]);
    await expect(
      crypto.subtle.deriveBits({ name: "PBKDF2", hash: "SHA-256", salt: new Uint8Array(16), iterations: 100_001 }, key, 256),
    ).rejects.toThrow(/iteration counts above 100000/);
  });

  it("refuses a stored hash claiming more than 100,000 iterations without deriving", async () => {
    const derivations = (globalThis as { __pbkdf2Iterations?: number[] }).__pbkdf2Iterations!;
    const good = await hashPassword("pw", env.PASSWORD_PEPPER);
    const tooStrong = good.replace("$100000$", "$600000$");
    const before = derivations.length;
    expect(await verifyPassword("pw", tooStrong, env.PASSWORD_PEPPER)).toEqual({ ok: false, needsRehash: false });
    expect(derivations.length).toBe(before);
  });

  it("rehashes an older, weaker hash at sign-in", async () => {
    // Build a legacy 10,000-iteration hash with the same derivation, as an older release would have.
    const pepperKey = await crypto.subtle.importKey("raw", new TextEncoder().encode(env.PASSWORD_PEPPER), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
    const peppered = new Uint8Array(await crypto.subtle.sign("HMAC", pepperKey, new TextEncoder().encode("legacy password 1")));
    const salt = crypto.getRandomValues(new Uint8Array(16));
    const key = await crypto.subtle.importKey("raw", peppered, "PBKDF2", false, ["deriveBits"]);
    const bits = new Uint8Array(await crypto.subtle.deriveBits({ name: "PBKDF2", hash: "SHA-256", salt, iterations: 10_000 }, key, 256));
    const legacy = `pbkdf2-sha256$10000$${toBase64(salt)}$${toBase64(bits)}`;
    expect(fromBase64(toBase64(salt))).toEqual(salt);

    const org = await createOrg();
    const user = await createUser({ orgId: org.id, role: "customer", passwordHash: legacy });
    expect((await testClient().login(user.email, "legacy password 1")).res.status).toBe(200);
    const row = await db().select().from(users).where(eq(users.id, user.id)).get();
    expect(row!.passwordHash).toMatch(/^pbkdf2-sha256\$100000\$/);
  });
});
