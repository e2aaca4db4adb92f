/**
 * CSRF: a state-changing request (POST/PUT/PATCH/DELETE) is accepted only when
 *  1. its Content-Type is application/json (HTML forms cannot send it cross-site without a CORS preflight,
 *     and `text/plain` JSON is the classic bypass of Hono's own csrf(), which only checks form types), and
 *  2. it is same-origin: `Origin` equals the configured PUBLIC_ORIGIN, or, when no Origin is sent,
 *     `Sec-Fetch-Site` is `same-origin`. A request with neither header is refused. The origin is NEVER derived
 *     from the request URL or Host header: `Host: evil.example` + `Origin: http://evil.example` would match it.
 * Webhook endpoints that authenticate by signature are listed in CSRF_EXEMPT (none yet).
 */
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../env";
import { DomainError } from "../errors";

const SAFE = new Set(["GET", "HEAD", "OPTIONS"]);
/** Server-to-server endpoints authenticated by the gateway's signature, not by a session (no cookie, no Origin). */
export const CSRF_EXEMPT: ReadonlyArray<string> = ["/api/webhooks/stripe", "/api/webhooks/adpay"];

export const csrfMiddleware = createMiddleware<AppEnv>(async (c, next) => {
  if (SAFE.has(c.req.method) || CSRF_EXEMPT.includes(c.req.path)) return next();

  const origin = c.req.header("origin");
  const fetchSite = c.req.header("sec-fetch-site");
  const sameOrigin = origin ? origin === c.var.services.config.PUBLIC_ORIGIN.replace(/\/$/, "") : fetchSite === "same-origin";
  if (!sameOrigin) {
    throw new DomainError("CSRF_REJECTED", "Cross-site request refused: state-changing requests must come from the portal itself.");
  }
  const type = (c.req.header("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  if (type !== "application/json") {
    throw new DomainError("UNSUPPORTED_MEDIA_TYPE", "Send the request body as JSON (Content-Type: application/json).");
  }
  await next();
});
