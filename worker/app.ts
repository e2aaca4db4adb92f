/**
 * The Hono application: middleware in order (services → security → CSRF → session), the route modules,
 * one error envelope, and the static-asset fallback for the portal.
 */
import { OpenAPIHono } from "@hono/zod-openapi";
import type { Context } from "hono";
import { bodyLimit } from "hono/body-limit";
import { TrieRouter } from "hono/router/trie-router";
import { HTTPException } from "hono/http-exception";
import { z, ZodError } from "zod";
import type { ErrorCode } from "./contract/errors";
import type { AppEnv } from "./env";
import { DomainError, ERROR_STATUS, toErrorBody, validationFailed, zodFields } from "./errors";
import type { Clock } from "./integrations/clock";
import { csrfMiddleware } from "./middleware/csrf";
import { securityHeaders } from "./middleware/security-headers";
import { servicesMiddleware } from "./middleware/services";
import { rerunOf, sessionMiddleware } from "./middleware/session";
import { SpeculationRefused } from "./db/speculative";
import { accountRoutes } from "./routes/account";
import { auditRoutes } from "./routes/audit";
import { emailLogRoutes } from "./routes/email-log";
import { emailSmtpRoutes } from "./routes/email-smtp";
import { emailTemplateRoutes } from "./routes/email-templates";
import { authRoutes } from "./routes/auth";
import { json, routeGroup } from "./routes/define";
import { mfaRoutes } from "./routes/mfa";
import { organizationRoutes } from "./routes/organizations";
import { passkeyRoutes } from "./routes/passkeys";
import { staffRoutes } from "./routes/staff";
import { catalogueRoutes } from "./routes/catalogue";
import { subscriptionRoutes } from "./routes/subscriptions";
import { usageRoutes } from "./routes/usage";
import { walletRoutes } from "./routes/wallet";
import { transactionRoutes } from "./routes/transactions";
import { billingSettingsRoutes } from "./routes/billing-settings";
import { dunningRoutes } from "./routes/dunning";
import { cardStatusRoutes } from "./routes/card-status";
import { devClockRoutes } from "./routes/dev-clock";
import { suspendedMiddleware } from "./middleware/suspended";
import { cardRequiredMiddleware } from "./middleware/card-required";
import { taxRuleRoutes } from "./routes/tax-rules";
import { invoiceRoutes } from "./routes/invoices";
import { payAllRoutes } from "./routes/pay-all";
import { receiptRoutes } from "./routes/receipts";
import { selfPayRoutes } from "./routes/self-pay";
import { billingRunRoutes } from "./routes/billing-runs";
import { paymentGatewayRoutes } from "./routes/payment-gateways";
import { paymentInfoRoutes } from "./routes/payment-info";
import { collectionRoutes } from "./routes/collection";
import { paymentPage } from "./routes/payment-page";
import { webhookRoutes } from "./routes/webhooks";
import { payByRedirectRoutes } from "./routes/pay-by-redirect";
import { newRequestId } from "./db/ids";

const MAX_BODY_BYTES = 1024 * 1024;

/** The system routes answer only themselves (no input, nothing to refuse). */
const systemRoute = routeGroup({ tags: ["System"], errors: {} });

const health = systemRoute.get("/api/health", {
  policy: { audience: "public" },
  summary: "Liveness check",
  responses: { 200: json(z.object({ status: z.literal("ok") }), "The Worker is up") },
});

const openapi = systemRoute.get("/api/openapi.json", {
  policy: { audience: "public" },
  summary: "This API's OpenAPI 3.1 document, generated from the route schemas",
  responses: { 200: json(z.record(z.string(), z.unknown()), "OpenAPI 3.1 document") },
});

function statusCodeFor(status: number): ErrorCode {
  if (status === 400) return "VALIDATION_FAILED";
  if (status === 401) return "UNAUTHENTICATED";
  if (status === 403) return "FORBIDDEN";
  if (status === 404) return "NOT_FOUND";
  if (status === 413) return "PAYLOAD_TOO_LARGE";
  if (status === 415) return "UNSUPPORTED_MEDIA_TYPE";
  if (status === 429) return "RATE_LIMITED";
  return "INTERNAL";
}

/** The OpenAPI 3.1 document of every registered route (generated only when asked for). */
function openApiDocument(app: OpenAPIHono<AppEnv>) {
  const doc = app.getOpenAPI31Document({
    openapi: "3.1.0",
    info: {
      title: "Cumulus API",
      version: "1.0.0",
      description: "Cloud billing & account portal API. Errors: { error: { code, message, requestId, fields? } }.",
    },
    // Relative: the origin that serves this document (PUBLIC_ORIGIN), whichever deployment it is.
    servers: [{ url: "/", description: "The origin serving this document; every path starts with /api" }],
  });
  // OpenAPI 3.1's SPDX `identifier` (the generator's config type only knows 3.0's license object).
  doc.info.license = { name: "Proprietary", identifier: "LicenseRef-Proprietary" } as typeof doc.info.license;
  return doc;
}

/** Unknown /api paths answer the error envelope; everything else is the portal. */
function notFoundOrPortal(c: Context<AppEnv>) {
  if (c.req.path.startsWith("/api/") || c.req.path === "/api") {
    const requestId = c.var.requestId ?? newRequestId();
    return c.json(toErrorBody("NOT_FOUND", `No API route for ${c.req.method} ${c.req.path}.`, requestId), 404);
  }
  // Everything else is the portal: static assets with the SPA fallback (index.html for deep links).
  return c.env.ASSETS.fetch(c.req.raw);
}

/** Every failure as the one error envelope; only 5xx are logged. */
function errorResponse(err: Error, c: Context<AppEnv>) {
  // A read that ran on a remembered session which no longer holds: the request runs again (below).
  if (err instanceof SpeculationRefused) return c.body(null, 503);
  const requestId = c.var.requestId ?? newRequestId();
  c.header("X-Request-Id", requestId);
  if (err instanceof DomainError) {
    for (const [k, v] of Object.entries(err.headers ?? {})) c.header(k, v);
    const status = ERROR_STATUS[err.code];
    if (status >= 500) console.error(`[cumulus] ${err.code} ${requestId}: ${err.message}`);
    return c.json(toErrorBody(err.code, err.message, requestId, err.fields), status);
  }
  if (err instanceof ZodError) {
    return c.json(toErrorBody("VALIDATION_FAILED", "Some fields are invalid.", requestId, zodFields(err.issues)), 400);
  }
  if (err instanceof HTTPException && err.status < 500) {
    const code = statusCodeFor(err.status);
    const message = err.status === 400 ? "The request body is not valid JSON." : err.message || code;
    return c.json(toErrorBody(code, message, requestId), ERROR_STATUS[code]);
  }
  console.error(`[cumulus] INTERNAL ${requestId}:`, err);
  return c.json(toErrorBody("INTERNAL", "Something went wrong on our side. Please try again.", requestId), 500);
}

/** Every /api request: security headers, services, the body limit, the cross-site check, the session. */
function useApiMiddleware(app: OpenAPIHono<AppEnv>, clock?: Clock) {
  app.use("/api/*", securityHeaders);
  app.use("/api/*", servicesMiddleware(clock));
  app.use(
    "/api/*",
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: () => {
        throw new DomainError("PAYLOAD_TOO_LARGE", "The request body is larger than 1 MB.");
      },
    }),
  );
  app.use("/api/*", csrfMiddleware);
  app.use("/api/*", sessionMiddleware);
  app.use("/api/*", suspendedMiddleware);
  app.use("/api/*", cardRequiredMiddleware);
}

/** Every route module, chained so that AppType (the portal's typed client, web/api/client.ts) knows each route. */
function mountRoutes(app: OpenAPIHono<AppEnv>) {
  return app
    .openapi(health, (c) => c.json({ status: "ok" as const }, 200))
    .openapi(openapi, (c) => c.json(openApiDocument(app), 200))
    .route("/", authRoutes)
    .route("/", organizationRoutes)
    .route("/", staffRoutes)
    .route("/", auditRoutes)
    .route("/", accountRoutes)
    .route("/", mfaRoutes)
    .route("/", passkeyRoutes)
    .route("/", emailTemplateRoutes)
    .route("/", emailSmtpRoutes)
    .route("/", emailLogRoutes)
    .route("/", catalogueRoutes)
    .route("/", subscriptionRoutes)
    .route("/", usageRoutes)
    .route("/", walletRoutes)
    .route("/", transactionRoutes)
    .route("/", billingSettingsRoutes)
    .route("/", taxRuleRoutes)
    .route("/", payAllRoutes)
    .route("/", receiptRoutes)
    .route("/", invoiceRoutes)
    .route("/", selfPayRoutes)
    .route("/", billingRunRoutes)
    .route("/", paymentGatewayRoutes)
    .route("/", paymentInfoRoutes)
    .route("/", collectionRoutes)
    .route("/", webhookRoutes)
    .route("/", payByRedirectRoutes)
    .route("/", dunningRoutes)
    .route("/", cardStatusRoutes)
    .route("/", devClockRoutes);
}

export function createApp(options: { clock?: Clock } = {}) {
  const app = new OpenAPIHono<AppEnv>({
    // Hono's default SmartRouter tries the RegExpRouter first, on each isolate's first request, and it refuses
    // our table (a static path beside a parameter, `/api/invoices/export.csv` and `/api/invoices/:id`, is
    // unsupported), then falls back to the TrieRouter: use it from the start (~1 µs a match; ADR 014a).
    router: new TrieRouter(),
    // Validation failures throw into onError so every 400 has the same envelope with field messages.
    defaultHook: (result) => {
      if (!result.success) throw validationFailed(zodFields(result.error.issues));
    },
  });

  // The one portal page that loads the payment gateway's script (its CSP admits Stripe.js's origin).
  app.get("/billing/payment-info", paymentPage);
  useApiMiddleware(app, options.clock);

  const routes = mountRoutes(app);

  app.openAPIRegistry.registerComponent("securitySchemes", "sessionCookie", {
    type: "apiKey",
    in: "cookie",
    name: "cumulus_session",
    description: "Session cookie set by POST /api/auth/login (named __Host-cumulus_session over HTTPS).",
  });

  app.notFound(notFoundOrPortal);
  app.onError(errorResponse);

  // A signed-in read whose remembered session no longer holds is answered by running it again the ordinary
  // way (middleware/session.ts); `request()` (tests) goes through `fetch` too.
  const dispatch = routes.fetch;
  routes.fetch = async (request, env, executionCtx) => {
    const response = await dispatch(request, env, executionCtx);
    const again = rerunOf(request);
    return again ? dispatch(again, env, executionCtx) : response;
  };
  return routes;
}

export type AppType = ReturnType<typeof createApp>;
