/**
 * Headers on every /api/* response (JSON, CSV, PDF, errors): nothing in an API response may run as a page or be
 * framed (`Content-Security-Policy: default-src 'none'; frame-ancestors 'none'`), no URL leaks as a referrer,
 * no MIME sniffing, and nothing private is cached (`Cache-Control: no-store` unless a route sets its own, as
 * the public email images do). A route's own stricter CSP (e.g. `sandbox`) is kept.
 */
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../env";

export const API_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
  "Referrer-Policy": "no-referrer",
  "X-Content-Type-Options": "nosniff",
  "Cache-Control": "no-store",
};

export const securityHeaders = createMiddleware<AppEnv>(async (c, next) => {
  await next();
  for (const [name, value] of Object.entries(API_SECURITY_HEADERS)) if (!c.res.headers.has(name)) c.header(name, value);
});
