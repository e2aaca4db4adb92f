/**
 * `defineRoute` = `createRoute` from @hono/zod-openapi plus a mandatory policy. The policy becomes the first
 * middleware of the route (so an unauthorised caller gets 401/403 before any input validation or work) and
 * is recorded in `routePolicies`. Request schemas validate input and, with the response schemas, generate
 * /api/openapi.json.
 *
 * `routeGroup({ tags })` gives the declarations of one router what they share (their tag and the error
 * responses), so each declaration states only its own: method, path, policy, summary, request, responses.
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

type Responses = RouteConfig["responses"];
type Method = "get" | "post" | "put" | "patch" | "delete";
type JsonBody<T extends z.ZodType> = { content: { "application/json": { schema: T } }; required: true };

/** One declaration in a group: the policy always explicit, `body: Schema` for a required JSON body. */
type Declaration = Omit<RouteConfig, "method" | "path" | "middleware" | "tags" | "security"> & {
  policy: Policy;
  body?: z.ZodType;
  /** Replaces the group's error responses where this operation answers a different set. */
  errors?: Responses;
};

type RequestOf<R> = R extends { body: infer B extends z.ZodType }
  ? (R extends { request: infer Q } ? Q : unknown) & { body: JsonBody<B> }
  : R extends { request: infer Q }
    ? Q
    : undefined;

type Declared<M extends Method, P extends string, R extends Declaration, E extends Responses> = Omit<R, "body" | "errors" | "request" | "responses"> & {
  method: M;
  path: P;
  tags: string[];
  request: RequestOf<R>;
  responses: Omit<R extends { errors: infer X } ? X : E, keyof R["responses"]> & R["responses"];
};

/**
 * The routes of one router: `const route = routeGroup({ tags: ["Billing"] })`, then
 * `route.get(path, { policy, summary, body?, request?, responses })` (likewise post, put, patch, delete). Every
 * operation documents the group's error responses (`commonErrors` unless the group names others); its own
 * responses win on the same status.
 */
export function routeGroup<const E extends Responses = typeof commonErrors>(group: { tags: string[]; errors?: E }) {
  const declare =
    <M extends Method>(method: M) =>
    <const P extends string, const R extends Declaration>(path: P, declaration: R) => {
      const { policy, body, errors, request, responses, ...own } = declaration;
      const withBody = body ? { ...request, body: jsonBody(body) } : request;
      return defineRoute({
        method,
        path,
        policy,
        tags: group.tags,
        ...own,
        ...(withBody ? { request: withBody } : {}),
        responses: { ...(errors ?? group.errors ?? commonErrors), ...responses },
      } as unknown as Declared<M, P, R, E>);
    };
  return { get: declare("get"), post: declare("post"), put: declare("put"), patch: declare("patch"), delete: declare("delete") };
}
