/** Session, sign-in and sign-out: the only code that calls the `/auth` endpoints. */
import { action, query, redirect } from "@solidjs/router";
import type { SessionDto } from "../../worker/contract/dto";
import { ApiError, client, unwrap } from "./client";

/**
 * The session probe. `null` means signed out; any other failure is thrown. Its 401 must not trigger the global
 * sign-in redirect: the shell decides where to go.
 */
export const getSession = query(async (): Promise<SessionDto | null> => {
  try {
    return await unwrap(client.api.auth.session.$get(), { redirectOn401: false });
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) return null;
    throw err;
  }
}, "session");

/**
 * Where to go after signing in. Only a same-origin path is accepted ("/x", never "//host" or "/\host", which
 * browsers treat as another origin); anything else falls back to the dashboard, so `next` cannot redirect off-site.
 */
export function safeNext(raw: unknown): string {
  if (typeof raw !== "string" || !raw.startsWith("/") || raw.startsWith("//") || raw.includes("\\")) return "/";
  try {
    const url = new URL(raw, location.origin);
    if (url.origin !== location.origin || url.pathname.startsWith("/sign-in")) return "/";
    return url.pathname + url.search + url.hash;
  } catch {
    return "/";
  }
}

/** The sign-in form's action: reads `email`, `password` and `next` from the submitted form. */
export const signIn = action(async (form: FormData | URLSearchParams) => {
  const email = String(form.get("email") ?? "").trim();
  const password = String(form.get("password") ?? "");
  const fields: Record<string, string> = {};
  if (!email) fields.email = "Enter your email address.";
  if (!password) fields.password = "Enter your password.";
  if (Object.keys(fields).length > 0) {
    throw new ApiError(400, "VALIDATION_FAILED", "Check the highlighted fields.", "", fields);
  }
  const result = await unwrap(client.api.auth.login.$post({ json: { email, password } }), { redirectOn401: false });
  // Password accepted, but a second factor (or MFA enrolment) comes next: the page shows that step.
  if (!("user" in result)) return result;
  const session = result;
  // Nothing cached for a previous user may leak into this session.
  query.clear();
  query.set(getSession.keyFor(), session);
  // The session is already in the cache, so nothing needs refetching (an empty list revalidates no key).
  return redirect(safeNext(form.get("next")), { revalidate: [] });
}, "signIn");

export const signOut = action(async () => {
  try {
    await unwrap(client.api.auth.logout.$post({ json: {} }), { redirectOn401: false });
  } catch (err) {
    // A 401 means the session had already ended: the user is signed out either way.
    if (!(err instanceof ApiError && err.status === 401)) throw err;
  }
  query.clear();
  return redirect("/sign-in", { revalidate: [] });
}, "signOut");
