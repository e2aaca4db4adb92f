/**
 * The one place the portal talks HTTP: `client` is Hono's `hc` typed from the Worker's routes (`AppType`, see
 * worker/rpc.ts), so paths, parameters, bodies and response types all come from the route schemas. Every call
 * goes through `unwrap()`, so every failure reaches the UI as an `ApiError` carrying the envelope's code,
 * message and request id. Only the files next to this one (`web/api/<entity>.ts`) may import `client`.
 */
import type { ClientResponse } from "hono/client";
import type { SuccessStatusCode } from "hono/utils/http-status";
import type { ErrorBody, ErrorCode } from "../../worker/contract/errors";
import { createApiClient } from "../../worker/rpc";

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode | "NETWORK" | (string & {}),
    message: string,
    readonly requestId: string,
    readonly fields?: Record<string, string>,
    /** Seconds to wait before retrying, from `Retry-After` (429 and 503 only). */
    readonly retryAfter?: number,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

export interface UnwrapOptions {
  /**
   * A 401 normally ends the session client-side and sends the user to sign-in. The session probe (whose 401 means
   * "signed out") and the login call (whose 401 means "wrong password") turn that off.
   */
  redirectOn401?: boolean;
}

let onUnauthenticated: () => void = () => {
  const here = location.pathname + location.search;
  location.assign(`/sign-in?next=${encodeURIComponent(here)}`);
};

/** The app shell replaces the default full-page redirect with a router navigation. */
export function setUnauthenticatedHandler(handler: () => void): void {
  onUnauthenticated = handler;
}

/** Empty filters are left out of the query string (an empty `orgId=` would be a validation error). */
function searchParams(query: Record<string, string | string[] | number | null | undefined>): URLSearchParams {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    for (const v of Array.isArray(value) ? value : [value]) {
      if (v !== undefined && v !== null && v !== "") search.append(key, String(v));
    }
  }
  return search;
}

/** Same-origin, JSON both ways; a network failure becomes an `ApiError` like any other. */
const portalFetch: typeof fetch = async (input, init = {}) => {
  const method = (init.method ?? "GET").toUpperCase();
  const headers = new Headers(init.headers);
  headers.set("Accept", "application/json");
  const unsafe = method !== "GET" && method !== "HEAD";
  // NOTE: unsafe methods always carry a JSON body; the server refuses any other content type as CSRF.
  if (unsafe) headers.set("Content-Type", "application/json");
  try {
    return await fetch(input, { ...init, method, headers, body: unsafe ? (init.body ?? "{}") : undefined, credentials: "same-origin" });
  } catch {
    throw new ApiError(0, "NETWORK", "The server could not be reached. Check your connection and try again.", "");
  }
};

export const client = createApiClient(location.origin, { fetch: portalFetch, buildSearchParams: searchParams });

/** `encodeURIComponent` for path parameters (`hc` puts them into the path as given). */
export const enc = encodeURIComponent;

function parseRetryAfter(header: string | null): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, Math.ceil(seconds));
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - Date.now()) / 1000));
}

/** The body of the successful responses a route declares (its 2xx `json(...)` schemas). */
export type Success<R> = R extends ClientResponse<infer T, infer S, infer _F> ? (S extends SuccessStatusCode ? T : never) : never;

/** Awaits a `client` call and returns its JSON body, or throws the error envelope as an `ApiError`. */
export async function unwrap<R extends ClientResponse<unknown, number, string>>(call: Promise<R>, opts: UnwrapOptions = {}): Promise<Success<R>> {
  const res = (await call) as unknown as Response;
  if (res.ok) {
    if (res.status === 204) return undefined as Success<R>;
    return (await res.json()) as Success<R>;
  }
  if (res.status === 401 && opts.redirectOn401 !== false) onUnauthenticated();
  let body: Partial<ErrorBody> | undefined;
  try {
    body = (await res.json()) as Partial<ErrorBody>;
  } catch {
    body = undefined;
  }
  const err = body?.error;
  throw new ApiError(
    res.status,
    err?.code ?? (res.status >= 500 ? "INTERNAL" : `HTTP_${res.status}`),
    err?.message ?? `The server answered with an unexpected response (HTTP ${res.status}).`,
    err?.requestId ?? res.headers.get("x-request-id") ?? "",
    err?.fields,
    parseRetryAfter(res.headers.get("retry-after")),
  );
}

/** A download link (plain GET: the browser saves the file with the session cookie), checked against the routes. */
export function href(url: URL): string {
  return url.pathname + url.search;
}

export function isApiError(err: unknown): err is ApiError {
  return err instanceof ApiError;
}
