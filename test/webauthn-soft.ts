/**
 * A small software WebAuthn authenticator for tests (workerd and Node alike): ECDSA P-256 through Web Crypto,
 * CBOR written by hand, "none" attestation. It produces registration and assertion responses in the JSON shape
 * @simplewebauthn/browser returns, which the server verifies for real. Origin and RP ID can be overridden to
 * play a phishing site.
 */
export const DEFAULT_ORIGIN = "http://localhost:8787";


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
const sha256 = async (data: Uint8Array) => new Uint8Array(await crypto.subtle.digest("SHA-256", data as Uint8Array<ArrayBuffer>));

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

  /** The credential object around an authenticator `response`, as @simplewebauthn/browser returns it. */
  private credential<R>(response: R) {
    return { id: this.id, rawId: this.id, type: "public-key", response, clientExtensionResults: {}, authenticatorAttachment: "platform" };
  }

  /** A `navigator.credentials.create()` result for the given options, as @simplewebauthn/browser returns it. */
  async register(options: { challenge: string; rp: { id?: string }; user: { id: string } }, o: SoftAuthenticatorOptions = {}) {
    const jwk = (await crypto.subtle.exportKey("jwk", this.keys.publicKey)) as JsonWebKey;
    const cose = cbor(new Map<number, Cbor>([[1, 2], [3, -7], [-1, 1], [-2, fromB64url(jwk.x!)], [-3, fromB64url(jwk.y!)]]));
    const attested = concat(new Uint8Array(16), Uint8Array.of(0, this.credentialId.length), this.credentialId, cose);
    const authData = await this.authData(o.rpId ?? options.rp.id ?? "localhost", 0x01 | 0x04 | 0x40, attested);
    const clientDataJSON = enc.encode(JSON.stringify({ type: "webauthn.create", challenge: options.challenge, origin: o.origin ?? DEFAULT_ORIGIN, crossOrigin: false }));
    this.userHandle = options.user.id;
    return this.credential({
      clientDataJSON: b64url(clientDataJSON),
      attestationObject: b64url(cbor({ fmt: "none", attStmt: {}, authData })),
      transports: ["internal"],
    });
  }

  /** A `navigator.credentials.get()` result; the counter grows by one unless `counter` is given. */
  async assert(options: { challenge: string; rpId?: string }, o: SoftAuthenticatorOptions & { counter?: number } = {}) {
    this.counter = o.counter ?? this.counter + 1;
    const authData = await this.authData(o.rpId ?? options.rpId ?? "localhost", 0x01 | 0x04);
    const clientDataJSON = enc.encode(JSON.stringify({ type: "webauthn.get", challenge: options.challenge, origin: o.origin ?? DEFAULT_ORIGIN, crossOrigin: false }));
    const raw = new Uint8Array(await crypto.subtle.sign({ name: "ECDSA", hash: "SHA-256" }, this.keys.privateKey, concat(authData, await sha256(clientDataJSON)) as Uint8Array<ArrayBuffer>));
    return this.credential({
      clientDataJSON: b64url(clientDataJSON),
      authenticatorData: b64url(authData),
      signature: b64url(derSignature(raw)),
      userHandle: this.userHandle ?? undefined,
    });
  }
}

