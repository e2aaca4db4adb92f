/**
 * Prefixed, random, time-sortable identifiers (`org_01J…`). One closed table of prefixes: a new entity
 * gets its prefix here. Never autoincrement for public or audited entities (SQLite reuses freed keys).
 *
 * Layout: 48-bit millisecond timestamp + 80 random bits, Crockford base32 (26 chars), like a ULID, so ids
 * sort by creation time and are safe to expose.
 */
const PREFIXES = {
  organization: "org",
  user: "usr",
  audit: "aud",
  product: "prd",
  plan: "pln",
  contract: "ctr",
  subscription: "sub",
  resource: "res",
  request: "req",
  deadLetter: "dlq",
  email: "eml",
  taxRule: "tax",
  taxRuleVersion: "txv",
  invoice: "inv",
  invoiceLine: "inl",
  creditNote: "crn",
  usage: "usg",
  billingRun: "brn",
  ledgerTransaction: "txn",
  ledgerEntry: "led",
  walletGrant: "wgr",
  emailTemplateVersion: "etv",
  emailAsset: "img",
  card: "crd",
  payment: "pay",
  extensionRequest: "dxr",
} as const;
export type IdKind = keyof typeof PREFIXES;

const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

function encodeBase32(bytes: Uint8Array): string {
  let out = "";
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(buffer >>> (bits - 5)) & 31];
      bits -= 5;
    }
    buffer &= (1 << bits) - 1;
  }
  if (bits > 0) out += ALPHABET[(buffer << (5 - bits)) & 31];
  return out;
}

// Random bytes are drawn from the CSPRNG 4 KiB at a time and handed out 10 per id: one getRandomValues call per
// ~400 ids instead of one per id (a billing page mints thousands). Same generator, same randomness per id.
const pool = new Uint8Array(4096);
let poolOffset = pool.length;

function randomInto(target: Uint8Array) {
  if (poolOffset + target.length > pool.length) {
    crypto.getRandomValues(pool);
    poolOffset = 0;
  }
  target.set(pool.subarray(poolOffset, poolOffset + target.length));
  // Used bytes are overwritten so they can never be handed out again.
  pool.fill(0, poolOffset, poolOffset + target.length);
  poolOffset += target.length;
}

export function newId(kind: IdKind, now: number = Date.now()): string {
  const bytes = new Uint8Array(16);
  // NOTE: 48-bit big-endian timestamp split into two parts: bit operators in JS are 32-bit.
  const high = Math.floor(now / 2 ** 32);
  const low = now >>> 0;
  bytes[0] = (high >>> 8) & 0xff;
  bytes[1] = high & 0xff;
  bytes[2] = (low >>> 24) & 0xff;
  bytes[3] = (low >>> 16) & 0xff;
  bytes[4] = (low >>> 8) & 0xff;
  bytes[5] = low & 0xff;
  randomInto(bytes.subarray(6));
  return `${PREFIXES[kind]}_${encodeBase32(bytes).slice(0, 26)}`;
}

/** A request-id is not stored as an entity but uses the same format for easy log correlation. */
export const newRequestId = () => newId("request");
