/**
 * Test helpers for account security: TOTP codes computed with otpauth (like a phone would), MFA enrolment
 * through the API, and a small software WebAuthn authenticator (ECDSA P-256 through Web Crypto, CBOR written
 * by hand) that produces registration and assertion responses the server verifies for real.
 */
import { Secret, TOTP } from "otpauth";
import { expect } from "vitest";
import { cookieFrom, type TestClient } from "./helpers";

export function totpCode(secret: string, at: number, stepOffset = 0): string {
  const totp = new TOTP({ algorithm: "SHA1", digits: 6, period: 30, secret: Secret.fromBase32(secret) });
  return totp.generate({ timestamp: at + stepOffset * 30_000 });
}

/** Enrols TOTP for the signed-in user; returns the secret and the recovery codes. Leaves the clock one step on. */
export async function enrolTotp(client: TestClient, cookie: string): Promise<{ secret: string; recoveryCodes: string[]; cookie: string }> {
  const setup = await client.request("POST", "/api/account/mfa/totp/setup", { cookie });
  expect(setup.status, await setup.clone().text()).toBe(200);
  const { secret } = (await setup.json()) as { secret: string };
  const enable = await client.request("POST", "/api/account/mfa/totp/enable", { cookie, body: { code: totpCode(secret, client.clock.now()) } });
  expect(enable.status, await enable.clone().text()).toBe(200);
  const { recoveryCodes } = (await enable.json()) as { recoveryCodes: string[] };
  const rotated = cookieFrom(enable);
  // The enrolment code's step is now used: move to the next step so a fresh code exists.
  client.clock.advance(30_000);
  return { secret, recoveryCodes, cookie: rotated.includes("=") && rotated.split("=")[1] ? rotated : cookie };
}

export { SoftAuthenticator } from "./webauthn-soft";
import { SoftAuthenticator } from "./webauthn-soft";

/** Registers a new software passkey for the signed-in user through the API. */
export async function registerPasskey(client: TestClient, cookie: string, name = "Test key"): Promise<SoftAuthenticator> {
  const auth = await SoftAuthenticator.create();
  const opts = await client.request("POST", "/api/account/passkeys/registration/options", { cookie });
  expect(opts.status, await opts.clone().text()).toBe(200);
  const response = await auth.register((await opts.json()) as never);
  const res = await client.request("POST", "/api/account/passkeys/registration/verify", { cookie, body: { name, response } });
  expect(res.status, await res.clone().text()).toBe(201);
  return auth;
}
