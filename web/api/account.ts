/**
 * Account Settings: Personal Profile, Change Password, MFA, passkeys, signed-in sessions, step-up, and the
 * second sign-in step. The WebAuthn browser library is imported only when a passkey ceremony starts.
 */
import { action, json, query, redirect } from "@solidjs/router";
import type { MfaPolicy } from "../../worker/contract/account";
import { getSession, safeNext } from "./auth";
import { ApiError, client, enc, unwrap } from "./client";

const account = client.api.account;

/**
 * WebAuthn JSON crosses the API as is: the route schemas check its outline and @simplewebauthn/server the rest,
 * while @simplewebauthn/browser types it precisely. Both describe the same object.
 */
function webauthnJson<T>(value: object): T {
  return value as T;
}
const auth = client.api.auth;

export const getProfile = query(() => unwrap(account.profile.$get()), "account.profile");

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
  const result = await unwrap(account.profile.$put({ json: form }));
  return json(result, { revalidate: ["account.profile", "session"] });
}, "saveProfile");

/** Calls that answer for the page's own state: the page revalidates what it shows, nothing else is refetched. */
const only = <T>(value: T) => json(value, { revalidate: [] });

/** Opened from the emailed link, by a person who may not be signed in: no 401 redirect. */
export const confirmEmail = action(async (token: string) => only(await unwrap(account.email.confirm.$post({ json: { token } }), { redirectOn401: false })), "confirmEmail");

export const changePassword = action(async (form: { oldPassword: string; newPassword: string; confirmPassword: string }) => {
  await unwrap(account.password.$post({ json: form }));
  return json(true, { revalidate: ["account.sessions"] });
}, "changePassword");

export const getSessions = query(async () => (await unwrap(account.sessions.$get())).items, "account.sessions");
export const revokeOtherSessions = action(async () => {
  const r = await unwrap(account.sessions["revoke-others"].$post());
  return json(r, { revalidate: ["account.sessions"] });
}, "revokeOtherSessions");
export const revokeSession = action(async (id: string) => {
  await unwrap(account.sessions[":id"].$delete({ param: { id: enc(id) } }));
  return json(true, { revalidate: ["account.sessions"] });
}, "revokeSession");

export const getMfaStatus = query(() => unwrap(account.mfa.$get()), "account.mfa");
export const setupTotp = () => unwrap(account.mfa.totp.setup.$post());
export const enableTotp = action(async (code: string) => only(await unwrap(account.mfa.totp.enable.$post({ json: { code } }))), "enableTotp");
export const disableMfa = action(async (code: string) => {
  await unwrap(account.mfa.disable.$post({ json: { code } }));
  return json(true, { revalidate: ["account.mfa"] });
}, "disableMfa");
export const regenerateRecoveryCodes = () => unwrap(account.mfa["recovery-codes"].$post());
export const getMfaPolicy = query(() => unwrap(client.api.admin["mfa-policy"].$get()), "admin.mfaPolicy");
export const setMfaPolicy = action(async (policy: MfaPolicy) => json(await unwrap(client.api.admin["mfa-policy"].$put({ json: policy })), { revalidate: ["admin.mfaPolicy", "account.mfa"] }), "setMfaPolicy");

/** Step-up with password (+ code when MFA is on). A wrong password must not end the session: no 401 redirect. */
export const stepUpWithPassword = action(
  async (password: string, code?: string) => {
    await unwrap(auth["step-up"].$post({ json: { password, code: code || undefined } }), { redirectOn401: false });
    return only(true);
  },
  "stepUpWithPassword",
);

export const stepUpWithPasskey = action(async () => {
  const { startAuthentication } = await import("@simplewebauthn/browser");
  const optionsJSON = webauthnJson<Parameters<typeof startAuthentication>[0]["optionsJSON"]>(await unwrap(auth["step-up"].passkey.options.$post()));
  const response = await startAuthentication({ optionsJSON });
  await unwrap(auth["step-up"].passkey.verify.$post({ json: { response: webauthnJson(response) } }));
  return only(true);
}, "stepUpWithPasskey");

export const getPasskeys = query(async () => (await unwrap(account.passkeys.$get())).items, "account.passkeys");

export const registerPasskey = action(async (name: string) => {
  const { startRegistration } = await import("@simplewebauthn/browser");
  const optionsJSON = webauthnJson<Parameters<typeof startRegistration>[0]["optionsJSON"]>(await unwrap(account.passkeys.registration.options.$post()));
  const response = await startRegistration({ optionsJSON }).catch((err: unknown) => {
    throw err instanceof Error && err.name === "NotAllowedError" ? new ApiError(0, "PASSKEY_CANCELLED", "The passkey request was cancelled or timed out.", "") : err;
  });
  const passkey = await unwrap(account.passkeys.registration.verify.$post({ json: { name, response: webauthnJson(response) } }));
  return json(passkey, { revalidate: ["account.passkeys", "account.mfa"] });
}, "registerPasskey");

export const renamePasskey = action(async (id: string, name: string) => {
  await unwrap(account.passkeys[":id"].$patch({ param: { id: enc(id) }, json: { name } }));
  return json(true, { revalidate: ["account.passkeys"] });
}, "renamePasskey");

export const deletePasskey = action(async (id: string) => {
  await unwrap(account.passkeys[":id"].$delete({ param: { id: enc(id) } }));
  return json(true, { revalidate: ["account.passkeys", "account.mfa"] });
}, "deletePasskey");

/** Second sign-in step: TOTP or recovery code. On success the session is cached and the user goes on. */
export const verifySecondFactor = action(async (code: string, next: string) => {
  const session = await unwrap(auth.mfa.verify.$post({ json: { code } }), { redirectOn401: false });
  query.clear();
  query.set(getSession.keyFor(), session);
  return redirect(safeNext(next), { revalidate: [] });
}, "verifySecondFactor");

/** A passkey assertion against `base` (`auth.passkey`: discoverable sign-in; `auth.mfa.passkey`: second step), then the session. */
async function passkeyAssertion(base: typeof auth.passkey | typeof auth.mfa.passkey, next: string) {
  const { startAuthentication } = await import("@simplewebauthn/browser");
  const optionsJSON = webauthnJson<Parameters<typeof startAuthentication>[0]["optionsJSON"]>(await unwrap(base.options.$post(), { redirectOn401: false }));
  let response;
  try {
    response = await startAuthentication({ optionsJSON });
  } catch (err) {
    throw new ApiError(0, "PASSKEY_CANCELLED", err instanceof Error && err.name === "NotAllowedError" ? "The passkey request was cancelled or timed out." : "This browser could not use a passkey.", "");
  }
  const session = await unwrap(base.verify.$post({ json: { response: webauthnJson(response) } }), { redirectOn401: false });
  query.clear();
  query.set(getSession.keyFor(), session);
  return redirect(safeNext(next), { revalidate: [] });
}

/** Sign in with a passkey alone (discoverable credential): no email or password asked. */
export const signInWithPasskey = action((next: string) => passkeyAssertion(auth.passkey, next), "signInWithPasskey");

/** The second sign-in step with one of the user's passkeys (after the password was accepted). */
export const verifySecondFactorWithPasskey = action((next: string) => passkeyAssertion(auth.mfa.passkey, next), "verifySecondFactorWithPasskey");
