/**
 * `defineRoute` = `createRoute` from @hono/zod-openapi plus a mandatory policy. The policy becomes the first
 * middleware of the route (so an unauthorised caller gets 401/403 before any input validation or work) and
 * is recorded in `routePolicies`. Request schemas validate input and, with the response schemas, generate
 * /api/openapi.json.
 */
import { createRoute, type RouteConfig } from "@hono/zod-openapi";
import { createMiddleware } from "hono/factory";
import { z } from "zod";
import type { AppEnv } from "../env";
import { forbidden, unauthenticated } from "../errors";
import { textInput } from "../middleware/text-input";
import { decide, policyKey, routePolicies, type Policy } from "./policy";

function authorize(policy: Policy) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const decision = decide(policy, c.var.principal);
    if (decision === "unauthenticated") throw unauthenticated();
    if (decision === "forbidden") throw forbidden();
    await next();
  });
}

/**
 * The operationId generated clients name their methods after: the method and the path's words in camelCase,
 * parameters as "By<Name>" (`GET /api/invoices/{id}/pdf` → `getInvoicesByIdPdf`). Unique because
 * (method, path) is.
 */
export function operationIdFor(method: string, path: string): string {
  const words = path
    .replace(/^\/api\//, "")
    .split("/")
    .flatMap((segment) => {
      const param = /^\{(.+)\}$/.exec(segment);
      return param ? ["by", param[1]!] : segment.split(/[^A-Za-z0-9]+/);
    })
    .filter(Boolean);
  return [method.toLowerCase(), ...words].map((w, i) => (i === 0 ? w : w[0]!.toUpperCase() + w.slice(1))).join("");
}

export function defineRoute<const R extends Omit<RouteConfig, "middleware">>(config: R & { policy: Policy }) {
  const { policy, ...route } = config;
  const key = policyKey(route.method, route.path);
  if (routePolicies.has(key)) throw new Error(`Duplicate route definition: ${key}`);
  routePolicies.set(key, policy);
  return createRoute({
    operationId: operationIdFor(route.method, route.path),
    ...route,
    // Who may call it first (401/403 before any input is read), then the boundary check every string passes.
    middleware: [authorize(policy), textInput] as const,
    // Public operations say so explicitly (`security: []`); the others need the session cookie.
    security: policy.audience === "public" ? [] : [{ sessionCookie: [] }],
  });
}

export const ErrorBodySchema = z
  .object({
    error: z.object({
      code: z.string(),
      message: z.string(),
      requestId: z.string(),
      fields: z.record(z.string(), z.string()).optional(),
    }),
  })
  .meta({ id: "ErrorBody" });

export function json<T extends z.ZodType>(schema: T, description: string) {
  return { content: { "application/json": { schema } }, description } as const;
}

const errorResponse = (description: string) => json(ErrorBodySchema, description);

/** The error responses every route can produce, documented once. */
export const commonErrors = {
  400: errorResponse("Invalid input (VALIDATION_FAILED), with field-level messages"),
  401: errorResponse("Not signed in (UNAUTHENTICATED)"),
  403: errorResponse("Missing privilege (FORBIDDEN) or cross-site request (CSRF_REJECTED)"),
  404: errorResponse("Not found, or owned by another organization (NOT_FOUND)"),
  500: errorResponse("Unexpected error (INTERNAL)"),
} as const;

export const jsonBody = <T extends z.ZodType>(schema: T) => ({ content: { "application/json": { schema } }, required: true }) as const;
