/**
 * Password hashing: PBKDF2-HMAC-SHA256 at exactly 100,000 iterations over HMAC-SHA256(pepper, password).
 *
 * Why 100,000: production Workers refuse PBKDF2 above 100,000 iterations (cloudflare/workerd#1346) while
 * local workerd has no cap, so a higher count would pass every local test and break sign-in after deploy.
 * We therefore never derive above the cap: stored hashes claiming more are refused before deriving, and
 * the test suite wraps `crypto.subtle.deriveBits` to throw above it (test/setup.ts).
 *
 * Format (self-describing): `pbkdf2-sha256$<iterations>$<salt base64>$<hash base64>`. The pepper is a
 * Worker secret, so a stolen database alone cannot be brute-forced. scripts/seed.mjs implements the
 * same derivation with node:crypto for demo accounts; keep them in step.
 */
import { fromBase64, timingSafeEqual, toBase64, utf8 } from "./encoding";

export const PBKDF2_ITERATIONS = 100_000;
/** The production ceiling of Web Crypto PBKDF2 on Cloudflare Workers. */
export const PBKDF2_MAX_ITERATIONS = 100_000;
const SALT_BYTES = 16;
const HASH_BITS = 256;

async function pepperPassword(password: string, pepper: string): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey("raw", utf8(pepper), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  return new Uint8Array(await crypto.subtle.sign("HMAC", key, utf8(password.normalize("NFC"))));
}

async function derive(password: string, pepper: string, salt: Uint8Array, iterations: number): Promise<Uint8Array> {
  if (!Number.isInteger(iterations) || iterations < 1 || iterations > PBKDF2_MAX_ITERATIONS) {
    throw new Error(`PBKDF2 iteration count ${iterations} is outside 1..${PBKDF2_MAX_ITERATIONS}`);
  }
  const peppered = await pepperPassword(password, pepper);
  const key = await crypto.subtle.importKey("raw", peppered, "PBKDF2", false, ["deriveBits"]);
  const bits = await crypto.subtle.deriveBits({ name: "PBKDF2", hash: "SHA-256", salt, iterations }, key, HASH_BITS);
  return new Uint8Array(bits);
}

export async function hashPassword(password: string, pepper: string): Promise<string> {
  const salt = crypto.getRandomValues(new Uint8Array(SALT_BYTES));
  const hash = await derive(password, pepper, salt, PBKDF2_ITERATIONS);
  return `pbkdf2-sha256$${PBKDF2_ITERATIONS}$${toBase64(salt)}$${toBase64(hash)}`;
}

export interface VerifyResult {
  ok: boolean;
  /** True when the stored hash uses other parameters than the current ones: rehash after a successful sign-in. */
  needsRehash: boolean;
}

export async function verifyPassword(password: string, stored: string, pepper: string): Promise<VerifyResult> {
  const parts = stored.split("$");
  if (parts.length !== 4 || parts[0] !== "pbkdf2-sha256") return { ok: false, needsRehash: false };
  const iterations = Number(parts[1]);
  // Refuse before deriving: production would throw NotSupportedError above the cap.
  if (!Number.isInteger(iterations) || iterations < 1 || iterations > PBKDF2_MAX_ITERATIONS) {
    return { ok: false, needsRehash: false };
  }
  const salt = fromBase64(parts[2]!);
  const expected = fromBase64(parts[3]!);
  const actual = await derive(password, pepper, salt, iterations);
  const ok = timingSafeEqual(actual, expected);
  return { ok, needsRehash: ok && iterations !== PBKDF2_ITERATIONS };
}

/**
 * A well-formed hash of a random password, verified against when the email is unknown so that an
 * unknown account and a wrong password take the same time (no user enumeration by timing).
 */
let dummyHash: Promise<string> | undefined; // isolate cache: one derivation per isolate, not per request
export function dummyPasswordHash(pepper: string): Promise<string> {
  dummyHash ??= hashPassword(crypto.randomUUID(), pepper);
  return dummyHash;
}
