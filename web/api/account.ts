/**
 * Account Settings: Personal Profile, Change Password, MFA, passkeys, signed-in sessions, step-up, and the
 * second sign-in step. The WebAuthn browser library is imported only when a passkey ceremony starts.
 */
import { action, json, query, redirect } from "@solidjs/router";
import type { SessionDto } from "../../worker/contract/dto";
import type {
  LoginSession,
  MfaPolicy,
  MfaStatus,
  Passkey,
  Profile,
  ProfileUpdateResult,
  RecoveryCodes,
  TotpSetup,
} from "../../worker/contract/account";
import { getSession, safeNext } from "./auth";
import { api, ApiError } from "./client";

export const getProfile = query(() => api.get<Profile>("/account/profile"), "account.profile");

export interface ProfileForm {
  firstName: string;
  lastName: string;
  email: string;
  phone: string;
  country: string;
  city: string;
  timeZone: string;
  jobTitle: string;
}

export const saveProfile = action(async (form: ProfileForm) => {
  const result = await api.put<ProfileUpdateResult>("/account/profile", form);
  return json(result, { revalidate: ["account.profile", "session"] });
}, "saveProfile");

export const confirmEmail = (token: string) => api.post<{ email: string }>("/account/email/confirm", { token }, { redirectOn401: false });

export const changePassword = action(async (form: { oldPassword: string; newPassword: string; confirmPassword: string }) => {
  await api.post<void>("/account/password", form);
  return json(true, { revalidate: ["account.sessions"] });
}, "changePassword");

export const getSessions = query(async () => (await api.get<{ items: LoginSession[] }>("/account/sessions")).items, "account.sessions");
export const revokeOtherSessions = action(async () => {
  const r = await api.post<{ revoked: number }>("/account/sessions/revoke-others", {});
  return json(r, { revalidate: ["account.sessions"] });
}, "revokeOtherSessions");
export const revokeSession = action(async (id: string) => {
  await api.delete<void>(`/account/sessions/${encodeURIComponent(id)}`);
  return json(true, { revalidate: ["account.sessions"] });
}, "revokeSession");

export const getMfaStatus = query(() => api.get<MfaStatus>("/account/mfa"), "account.mfa");
export const setupTotp = () => api.post<TotpSetup>("/account/mfa/totp/setup", {});
export const enableTotp = (code: string) => api.post<RecoveryCodes>("/account/mfa/totp/enable", { code });
export const disableMfa = (code: string) => api.post<void>("/account/mfa/disable", { code });
export const regenerateRecoveryCodes = () => api.post<RecoveryCodes>("/account/mfa/recovery-codes", {});
export const getMfaPolicy = query(() => api.get<MfaPolicy>("/admin/mfa-policy"), "admin.mfaPolicy");
export const setMfaPolicy = action(async (policy: MfaPolicy) => json(await api.put<MfaPolicy>("/admin/mfa-policy", policy), { revalidate: ["admin.mfaPolicy", "account.mfa"] }), "setMfaPolicy");

/** Step-up with password (+ code when MFA is on). A wrong password must not end the session: no 401 redirect. */
export const stepUpWithPassword = (password: string, code?: string) => api.post<void>("/auth/step-up", { password, code: code || undefined }, { redirectOn401: false });

export async function stepUpWithPasskey(): Promise<void> {
  const { startAuthentication } = await import("@simplewebauthn/browser");
  const optionsJSON = await api.post<Parameters<typeof startAuthentication>[0]["optionsJSON"]>("/auth/step-up/passkey/options", {});
  const response = await startAuthentication({ optionsJSON });
  await api.post<void>("/auth/step-up/passkey/verify", { response });
}

export const getPasskeys = query(async () => (await api.get<{ items: Passkey[] }>("/account/passkeys")).items, "account.passkeys");

export const registerPasskey = action(async (name: string) => {
  const { startRegistration } = await import("@simplewebauthn/browser");
  const optionsJSON = await api.post<Parameters<typeof startRegistration>[0]["optionsJSON"]>("/account/passkeys/registration/options", {});
  const response = await startRegistration({ optionsJSON });
  const passkey = await api.post<Passkey>("/account/passkeys/registration/verify", { name, response });
  return json(passkey, { revalidate: ["account.passkeys", "account.mfa"] });
}, "registerPasskey");

export const renamePasskey = action(async (id: string, name: string) => {
  await api.patch<void>(`/account/passkeys/${encodeURIComponent(id)}`, { name });
  return json(true, { revalidate: ["account.passkeys"] });
}, "renamePasskey");

export const deletePasskey = (id: string) => api.delete<void>(`/account/passkeys/${encodeURIComponent(id)}`);

/** Second sign-in step: TOTP or recovery code. On success the session is cached and the user goes on. */
export const verifySecondFactor = action(async (code: string, next: string) => {
  const session = await api.post<SessionDto>("/auth/mfa/verify", { code }, { redirectOn401: false });
  query.clear();
  query.set(getSession.keyFor(), session);
  return redirect(safeNext(next), { revalidate: [] });
}, "verifySecondFactor");

/** A passkey assertion against `base` (`/auth/passkey`: discoverable sign-in; `/auth/mfa/passkey`: second step), then the session. */
async function passkeyAssertion(base: string, next: string) {
  const { startAuthentication } = await import("@simplewebauthn/browser");
  const optionsJSON = await api.post<Parameters<typeof startAuthentication>[0]["optionsJSON"]>(`${base}/options`, {}, { redirectOn401: false });
  let response;
  try {
    response = await startAuthentication({ optionsJSON });
  } catch (err) {
    throw new ApiError(0, "PASSKEY_CANCELLED", err instanceof Error && err.name === "NotAllowedError" ? "The passkey request was cancelled or timed out." : "This browser could not use a passkey.", "");
  }
  const session = await api.post<SessionDto>(`${base}/verify`, { response }, { redirectOn401: false });
  query.clear();
  query.set(getSession.keyFor(), session);
  return redirect(safeNext(next), { revalidate: [] });
}

/** Sign in with a passkey alone (discoverable credential): no email or password asked. */
export const signInWithPasskey = action((next: string) => passkeyAssertion("/auth/passkey", next), "signInWithPasskey");

/** The second sign-in step with one of the user's passkeys (after the password was accepted). */
export const verifySecondFactorWithPasskey = action((next: string) => passkeyAssertion("/auth/mfa/passkey", next), "verifySecondFactorWithPasskey");
