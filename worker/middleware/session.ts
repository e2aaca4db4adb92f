/**
 * Reads the session cookie and, when it names a live session, sets `principal` and `sessionId`.
 * An unknown, expired or revoked session is treated as signed out (the route policy then answers 401)
 * and its cookie is cleared.
 */
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import type { AppEnv, Config } from "../env";
import { resolveSession } from "../domain/auth/sessions";

const BASE_NAME = "cumulus_session";

/** `__Host-` prefix (Secure, Path=/, no Domain) whenever the portal is served over HTTPS. */
export function sessionCookieName(config: Config): string {
  return config.PUBLIC_ORIGIN.startsWith("https://") ? `__Host-${BASE_NAME}` : BASE_NAME;
}

export function setSessionCookie(c: Context<AppEnv>, token: string, expiresAt: number) {
  const config = c.var.services.config;
  const secure = config.PUBLIC_ORIGIN.startsWith("https://");
  setCookie(c, sessionCookieName(config), token, {
    path: "/",
    httpOnly: true,
    secure,
    sameSite: "Lax",
    maxAge: Math.max(0, Math.floor((expiresAt - c.var.services.clock.now()) / 1000)),
  });
}

export function clearSessionCookie(c: Context<AppEnv>) {
  const config = c.var.services.config;
  deleteCookie(c, sessionCookieName(config), { path: "/", secure: config.PUBLIC_ORIGIN.startsWith("https://") });
}

export const sessionMiddleware = createMiddleware<AppEnv>(async (c, next) => {
  const token = getCookie(c, sessionCookieName(c.var.services.config));
  if (token) {
    const session = await resolveSession(c.var.services, token);
    if (session) {
      c.set("principal", session.principal);
      c.set("sessionId", session.sessionId);
      c.set("sessionExpiresAt", session.expiresAt);
      c.set("sessionStage", session.stage);
      c.set("sessionAuthAt", session.authAt);
    } else {
      clearSessionCookie(c);
    }
  }
  await next();
});
