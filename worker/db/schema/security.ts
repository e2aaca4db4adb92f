/**
 * Account security: TOTP credentials, recovery codes, passkeys (WebAuthn), single-use challenges, pending
 * email changes, the second-factor attempt counter and the platform MFA policy.
 *
 * Secrets never sit here in clear: TOTP seeds are AES-GCM sealed (AAD `<userId>|totp.seed|v1`), recovery
 * codes and email-change tokens are stored as keyed hashes, passkeys hold only public keys.
 */
import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { createdAt, flag, id, updatedAt } from "./columns";
import { userRef, users } from "./core";

/** One TOTP authenticator per user. `pending` during enrolment (seed shown once), `active` once confirmed. */
export const totpCredentials = sqliteTable("totp_credentials", {
  userId: text("user_id").primaryKey().references(() => users.id),
  /** `v1.<iv>.<ciphertext>` from encryptSecret; never returned by the API after enrolment. */
  secretSealed: text("secret_sealed").notNull(),
  status: text("status", { enum: ["pending", "active"] }).notNull(),
  /** Highest 30-second counter accepted so far: a code at or below it is a replay (compare-and-set). */
  lastUsedCounter: integer("last_used_counter").notNull().default(-1),
  createdAt: createdAt(),
  enabledAt: integer("enabled_at"),
});

/** Ten per user, each usable once; `code_hash` = HMAC-SHA256(pepper, normalised code), hex. */
export const recoveryCodes = sqliteTable(
  "recovery_codes",
  {
    codeHash: text("code_hash").primaryKey(),
    userId: userRef(),
    usedAt: integer("used_at"),
    createdAt: createdAt(),
  },
  (t) => [index("recovery_codes_user_idx").on(t.userId)],
);

/** Registered passkeys. `id` is the credential id (base64url) the authenticator returns. */
export const passkeys = sqliteTable(
  "passkeys",
  {
    id: id(),
    userId: userRef(),
    name: text("name").notNull(),
    /** COSE public key, base64url. */
    publicKey: text("public_key").notNull(),
    /** Signature counter: a value that does not grow (when non-zero) may mean a cloned authenticator. */
    counter: integer("counter").notNull(),
    /** JSON array of transports reported at registration. */
    transports: text("transports").notNull().default("[]"),
    deviceType: text("device_type").notNull(),
    backedUp: flag("backed_up"),
    createdAt: createdAt(),
    lastUsedAt: integer("last_used_at"),
  },
  (t) => [index("passkeys_user_idx").on(t.userId)],
);

/** WebAuthn challenges: server-side, expiring, deleted when consumed (DELETE … RETURNING: once only). */
export const webauthnChallenges = sqliteTable(
  "webauthn_challenges",
  {
    /** The challenge itself (base64url), as the authenticator signs it in clientDataJSON. */
    challenge: text("challenge").primaryKey(),
    purpose: text("purpose", { enum: ["register", "sign_in", "step_up", "second_factor"] }).notNull(),
    /** Null for a discoverable sign-in (the user is not known yet). */
    userId: text("user_id"),
    expiresAt: integer("expires_at").notNull(),
  },
  (t) => [index("webauthn_challenges_expires_idx").on(t.expiresAt)],
);

/** Pending email changes: the token (in the link sent to the new address) is stored as SHA-256 only. */
export const emailChanges = sqliteTable(
  "email_changes",
  {
    tokenHash: text("token_hash").primaryKey(),
    userId: userRef(),
    newEmail: text("new_email").notNull(),
    createdAt: createdAt(),
    expiresAt: integer("expires_at").notNull(),
    usedAt: integer("used_at"),
  },
  (t) => [index("email_changes_user_idx").on(t.userId)],
);

/** Second-factor attempts per user in a fixed 30-second window (at most 5 per window). */
export const mfaAttempts = sqliteTable("mfa_attempts", {
  userId: text("user_id").primaryKey(),
  windowStartedAt: integer("window_started_at").notNull(),
  attempts: integer("attempts").notNull(),
});

/** Platform security policy set by the Cloud-Admin (one row, id = 'platform'). */
export const securitySettings = sqliteTable("security_settings", {
  id: id(),
  requireMfaStaff: flag("require_mfa_staff").default(false),
  requireMfaAll: flag("require_mfa_all").default(false),
  updatedAt: updatedAt(),
});
