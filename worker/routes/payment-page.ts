/**
 * The Payment Info page document. The portal's static Content-Security-Policy (web/public/_headers) allows
 * scripts and frames from our origin only; this one page must also load Stripe.js and its card-field frames from
 * the configured Stripe origin (https://js.stripe.com in production, the local Stripe under `npm start`). So the
 * Worker serves this document (wrangler.toml `run_worker_first`) and widens exactly script-src, frame-src and
 * connect-src by that one origin; every other directive and header of the static policy is kept.
 */
import type { Context } from "hono";
import type { AppEnv } from "../env";
import { configFor } from "../env";
import { stripeJsUrl } from "../integrations/payments/stripe";

/** Same as web/public/_headers (test/worker/routes/payment-page.security.test.ts keeps them equal). */
export const PORTAL_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self'; connect-src 'self'; frame-src 'self' blob:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

export function cspWithGateway(csp: string, origin: string): string {
  return csp
    .split(";")
    .map((d) => d.trim())
    .map((d) => (/^(script-src|frame-src|connect-src)\s/.test(d) ? `${d} ${origin}` : d))
    .join("; ");
}

export async function paymentPage(c: Context<AppEnv>): Promise<Response> {
  const config = configFor(c.env);
  const asset = await c.env.ASSETS.fetch(new Request(new URL("/index.html", c.req.url)));
  const headers = new Headers(asset.headers);
  const origin = config.ok ? new URL(stripeJsUrl(config.config)).origin : "https://js.stripe.com";
  headers.set("Content-Security-Policy", cspWithGateway(headers.get("Content-Security-Policy") ?? PORTAL_CSP, origin));
  headers.set("X-Content-Type-Options", "nosniff");
  headers.set("X-Frame-Options", "DENY");
  headers.set("Referrer-Policy", "strict-origin-when-cross-origin");
  headers.set("Cache-Control", "no-store");
  return new Response(asset.body, { status: asset.status === 304 ? 200 : asset.status, headers });
}
