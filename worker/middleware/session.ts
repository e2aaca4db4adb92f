/**
 * Reads the session cookie and, when it names a live session, sets `principal` and `sessionId`.
 * An unknown, expired or revoked session is treated as signed out (the route policy then answers 401)
 * and its cookie is cleared.
 *
 * A signed-in read (GET/HEAD) whose session this isolate remembers runs at once with it and re-checks the
 * session in the same D1 round trip as its first read (docs/decisions/014a-one-round-trip-reads.md); if the
 * session no longer grants exactly that, the response is dropped and the request runs again the ordinary way.
 */
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import type { AppEnv, Config } from "../env";
import { createDb } from "../db/client";
import { SpeculativeD1 } from "../db/speculative";
import { forgetSession, rememberedSession, rememberSession, sessionSpeculation } from "../domain/sessions/cache";
import { resolveSession, type LiveSession } from "../domain/sessions/store";

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

const SAFE_METHODS = new Set(["GET", "HEAD"]);
/** Requests whose speculation was refused, and their re-runs (which resolve the ordinary way). */
const refused = new WeakSet<Request>();
const ordinary = new WeakSet<Request>();

function setSession(c: Context<AppEnv>, session: LiveSession) {
  c.set("principal", session.principal);
  c.set("sessionId", session.sessionId);
  c.set("sessionExpiresAt", session.expiresAt);
  c.set("sessionStage", session.stage);
  c.set("sessionAuthAt", session.authAt);
}

function remembered(c: Context<AppEnv>, token: string): LiveSession | undefined {
  if (!SAFE_METHODS.has(c.req.method) || ordinary.has(c.req.raw)) return undefined;
  const { clock, config } = c.var.services;
  return rememberedSession(token, clock.now(), config);
}

export const sessionMiddleware = createMiddleware<AppEnv>(async (c, next) => {
  const services = c.var.services;
  const token = getCookie(c, sessionCookieName(services.config));
  if (!token) return next();
  const known = remembered(c, token);
  if (known) {
    const d1 = new SpeculativeD1(c.env.DB, sessionSpeculation(known, services.clock.now(), services.config));
    c.set("services", { ...services, db: createDb(d1.asD1()) });
    setSession(c, known);
    await next();
    if (await d1.settle().catch(() => false)) return;
    forgetSession(known.sessionId);
    await c.res.body?.cancel().catch(() => {});
    refused.add(c.req.raw);
    return;
  }
  const session = await resolveSession(services, token);
  if (session) {
    rememberSession(session, token);
    setSession(c, session);
  } else {
    clearSessionCookie(c);
  }
  await next();
});

/** The request to run again when its speculation was refused (app.ts), else null. */
export function rerunOf(request: Request): Request | null {
  if (!refused.has(request)) return null;
  const again = new Request(request);
  ordinary.add(again);
  return again;
}
