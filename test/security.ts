/**
 * Test helpers for account security: TOTP codes computed with otpauth (like a phone would), MFA enrolment
 * through the API, and a small software WebAuthn authenticator (ECDSA P-256 through Web Crypto, CBOR written
 * by hand) that produces registration and assertion responses the server verifies for real.
 */
import { Secret, TOTP } from "otpauth";
import { expect } from "vitest";
import { ORIGIN, cookieFrom, type TestClient } from "./helpers";

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

// ---------------------------------------------------------------- software authenticator

const enc = new TextEncoder();
const b64url = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
const fromB64url = (s: string) => Uint8Array.from(atob(s.replace(/-/g, "+").replace(/_/g, "/") + "===".slice((s.length + 3) % 4)), (c) => c.charCodeAt(0));
const concat = (...parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let i = 0;
  for (const p of parts) {
    out.set(p, i);
    i += p.length;
  }
  return out;
};
const sha256 = async (data: Uint8Array) => new Uint8Array(await crypto.subtle.digest("SHA-256", data));

type Cbor = number | string | Uint8Array | Map<number | string, Cbor> | Record<string, unknown>;
function cborHead(major: number, n: number): Uint8Array {
  if (n < 24) return Uint8Array.of((major << 5) | n);
  if (n < 256) return Uint8Array.of((major << 5) | 24, n);
  if (n < 65536) return Uint8Array.of((major << 5) | 25, n >> 8, n & 0xff);
  return Uint8Array.of((major << 5) | 26, (n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff);
}
function cbor(v: Cbor): Uint8Array {
  if (typeof v === "number") return v >= 0 ? cborHead(0, v) : cborHead(1, -1 - v);
  if (typeof v === "string") {
    const b = enc.encode(v);
    return concat(cborHead(3, b.length), b);
  }
  if (v instanceof Uint8Array) return concat(cborHead(2, v.length), v);
  const entries = v instanceof Map ? [...v.entries()] : Object.entries(v);
  return concat(cborHead(5, entries.length), ...entries.flatMap(([k, val]) => [cbor(k as Cbor), cbor(val as Cbor)]));
}

/** Raw (r||s) ECDSA signature → ASN.1 DER, as WebAuthn expects. */
function derSignature(raw: Uint8Array): Uint8Array {
  const int = (b: Uint8Array) => {
    let i = 0;
    while (i < b.length - 1 && b[i] === 0) i++;
    let x = b.slice(i);
    if (x[0]! & 0x80) x = concat(Uint8Array.of(0), x);
    return concat(Uint8Array.of(0x02, x.length), x);
  };
  const body = concat(int(raw.slice(0, 32)), int(raw.slice(32)));
  return concat(Uint8Array.of(0x30, body.length), body);
}

export interface SoftAuthenticatorOptions {
  origin?: string;
  rpId?: string;
}

export class SoftAuthenticator {
  credentialId = crypto.getRandomValues(new Uint8Array(16));
  counter = 0;
  userHandle: string | null = null;
  private keys!: CryptoKeyPair;

  static async create(): Promise<SoftAuthenticator> {
    const a = new SoftAuthenticator();
    a.keys = (await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, true, ["sign", "verify"])) as CryptoKeyPair;
    return a;
  }

  get id(): string {
    return b64url(this.credentialId);
  }

  private async authData(rpId: string, flags: number, extra = new Uint8Array()): Promise<Uint8Array> {
    const c = this.counter;
    return concat(await sha256(enc.encode(rpId)), Uint8Array.of(flags), Uint8Array.of((c >>> 24) & 0xff, (c >>> 16) & 0xff, (c >>> 8) & 0xff, c & 0xff), extra);
  }

  /** A `navigator.credentials.create()` result for the given options, as @simplewebauthn/browser returns it. */
  async register(options: { challenge: string; rp: { id?: string }; user: { id: string } }, o: SoftAuthenticatorOptions = {}) {
    const jwk = (await crypto.subtle.exportKey("jwk", this.keys.publicKey)) as JsonWebKey;
    const cose = cbor(new Map<number, Cbor>([[1, 2], [3, -7], [-1, 1], [-2, fromB64url(jwk.x!)], [-3, fromB64url(jwk.y!)]]));
    const attested = concat(new Uint8Array(16), Uint8Array.of(0, this.credentialId.length), this.credentialId, cose);
    const authData = await this.authData(o.rpId ?? options.rp.id ?? "localhost", 0x01 | 0x04 | 0x40, attested);
    const clientDataJSON = enc.encode(JSON.stringify({ type: "webauthn.create", challenge: options.challenge, origin: o.origin ?? ORIGIN, crossOrigin: false }));
    this.userHandle = options.user.id;
    return {
      id: this.id,
      rawId: this.id,
      type: "public-key",
      response: {
        clientDataJSON: b64url(clientDataJSON),
        attestationObject: b64url(cbor({ fmt: "none", attStmt: {}, authData })),
        transports: ["internal"],
      },
      clientExtensionResults: {},
      authenticatorAttachment: "platform",
    };
  }

  /** A `navigator.credentials.get()` result; the counter grows by one unless `counter` is given. */
  async assert(options: { challenge: string; rpId?: string }, o: SoftAuthenticatorOptions & { counter?: number } = {}) {
    this.counter = o.counter ?? this.counter + 1;
    const authData = await this.authData(o.rpId ?? options.rpId ?? "localhost", 0x01 | 0x04);
    const clientDataJSON = enc.encode(JSON.stringify({ type: "webauthn.get", challenge: options.challenge, origin: o.origin ?? ORIGIN, crossOrigin: false }));
    const raw = new Uint8Array(await crypto.subtle.sign({ name: "ECDSA", hash: "SHA-256" }, this.keys.privateKey, concat(authData, await sha256(clientDataJSON))));
    return {
      id: this.id,
      rawId: this.id,
      type: "public-key",
      response: {
        clientDataJSON: b64url(clientDataJSON),
        authenticatorData: b64url(authData),
        signature: b64url(derSignature(raw)),
        userHandle: this.userHandle ?? undefined,
      },
      clientExtensionResults: {},
      authenticatorAttachment: "platform",
    };
  }
}

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
