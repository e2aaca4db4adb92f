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
import { decide, policyKey, routePolicies, type Policy } from "./policy";

function authorize(policy: Policy) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const decision = decide(policy, c.var.principal);
    if (decision === "unauthenticated") throw unauthenticated();
    if (decision === "forbidden") throw forbidden();
    await next();
  });
}

export function defineRoute<const R extends Omit<RouteConfig, "middleware">>(config: R & { policy: Policy }) {
  const { policy, ...route } = config;
  const key = policyKey(route.method, route.path);
  if (routePolicies.has(key)) throw new Error(`Duplicate route definition: ${key}`);
  routePolicies.set(key, policy);
  return createRoute({
    ...route,
    middleware: [authorize(policy)] as const,
    ...(policy.audience === "public" ? {} : { security: [{ sessionCookie: [] }] }),
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
