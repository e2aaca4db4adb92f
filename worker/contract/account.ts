/** Response shapes of the account-security API (profile, password, MFA, passkeys, sessions). */
import { z } from "zod";
import { SessionDtoSchema } from "./dto";

/** POST /api/auth/login answers either a full session or the step that comes next. */
export const SECOND_FACTOR_METHODS = ["totp", "recovery_code", "passkey"] as const;
export type SecondFactorMethod = (typeof SECOND_FACTOR_METHODS)[number];
export const SecondFactorStepSchema = z.object({
  next: z.enum(["mfa", "enrol"]),
  /**
   * `mfa`: the ways to prove the second step (a TOTP or recovery code, and/or one of the user's passkeys).
   * `enrol`: MFA is required and the user has no second factor yet; set up an authenticator app first.
   */
  methods: z.array(z.enum(SECOND_FACTOR_METHODS)),
  expiresAt: z.string(),
});
export type SecondFactorStep = z.infer<typeof SecondFactorStepSchema>;
export const LoginResponseSchema = z.union([SessionDtoSchema, SecondFactorStepSchema]);
export type LoginResponse = z.infer<typeof LoginResponseSchema>;

export const ProfileSchema = z.object({
  firstName: z.string(),
  lastName: z.string(),
  email: z.string(),
  phone: z.string().nullable(),
  country: z.string().nullable(),
  city: z.string().nullable(),
  timeZone: z.string(),
  jobTitle: z.string().nullable(),
  pendingEmail: z.object({ email: z.string(), expiresAt: z.string() }).nullable(),
});
export type Profile = z.infer<typeof ProfileSchema>;
export const ProfileUpdateResultSchema = z.object({ profile: ProfileSchema, emailConfirmationSent: z.boolean() });
export type ProfileUpdateResult = z.infer<typeof ProfileUpdateResultSchema>;

export const MfaStatusSchema = z.object({
  totpEnabled: z.boolean(),
  enabledAt: z.string().nullable(),
  recoveryCodesRemaining: z.number().int(),
  passkeys: z.number().int(),
  /** The platform policy requires MFA for this user. */
  required: z.boolean(),
});
export type MfaStatus = z.infer<typeof MfaStatusSchema>;

export const TotpSetupSchema = z.object({ secret: z.string(), uri: z.string(), issuer: z.string(), account: z.string() });
export type TotpSetup = z.infer<typeof TotpSetupSchema>;

export const RecoveryCodesSchema = z.object({ recoveryCodes: z.array(z.string()) });
export type RecoveryCodes = z.infer<typeof RecoveryCodesSchema>;

export const MfaPolicySchema = z.object({ requireMfaStaff: z.boolean(), requireMfaAll: z.boolean() });
export type MfaPolicy = z.infer<typeof MfaPolicySchema>;

export const PasskeySchema = z.object({
  id: z.string(),
  name: z.string(),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
  deviceType: z.string(),
  backedUp: z.boolean(),
});
export type Passkey = z.infer<typeof PasskeySchema>;

export const LoginSessionSchema = z.object({
  id: z.string(),
  current: z.boolean(),
  createdAt: z.string(),
  lastSeenAt: z.string(),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
});
export type LoginSession = z.infer<typeof LoginSessionSchema>;

/** WebAuthn options are passed through to the browser as the library made them. */
export const WebAuthnOptionsSchema = z.record(z.string(), z.unknown());
