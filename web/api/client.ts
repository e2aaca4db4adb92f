/**
 * The one place the portal talks HTTP. Every call goes through `request()` and `unwrap()`, so every failure
 * reaches the UI as an `ApiError` carrying the envelope's code, message and request id.
 * Only the files next to this one (`web/api/<entity>.ts`) may import `api`.
 */
import type { ErrorBody, ErrorCode } from "../../worker/contract/errors";

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

export type Query = Record<string, string | number | undefined | null>;

export interface RequestOptions {
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

function buildUrl(path: string, query?: Query): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined && value !== null && value !== "") search.set(key, String(value));
  }
  const qs = search.toString();
  return `/api${path}${qs ? `?${qs}` : ""}`;
}

function parseRetryAfter(header: string | null): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, Math.ceil(seconds));
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - Date.now()) / 1000));
}

/** Turns a response into its JSON body, or throws the envelope as an `ApiError`. */
export async function unwrap<T>(res: Response): Promise<T> {
  if (res.ok) {
    if (res.status === 204) return undefined as T;
    return (await res.json()) as T;
  }
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

async function request<T>(method: string, path: string, init: { query?: Query; body?: unknown }, opts: RequestOptions = {}): Promise<T> {
  const unsafe = method !== "GET";
  let res: Response;
  try {
    res = await fetch(buildUrl(path, init.query), {
      method,
      credentials: "same-origin",
      headers: unsafe ? { Accept: "application/json", "Content-Type": "application/json" } : { Accept: "application/json" },
      // NOTE: unsafe methods always carry a JSON body; the server refuses any other content type as CSRF.
      body: unsafe ? JSON.stringify(init.body ?? {}) : undefined,
    });
  } catch {
    throw new ApiError(0, "NETWORK", "The server could not be reached. Check your connection and try again.", "");
  }
  if (res.status === 401 && opts.redirectOn401 !== false) onUnauthenticated();
  return unwrap<T>(res);
}

export const api = {
  get: <T>(path: string, query?: Query, opts?: RequestOptions) => request<T>("GET", path, { query }, opts),
  post: <T>(path: string, body?: unknown, opts?: RequestOptions) => request<T>("POST", path, { body }, opts),
  put: <T>(path: string, body?: unknown, opts?: RequestOptions) => request<T>("PUT", path, { body }, opts),
  patch: <T>(path: string, body?: unknown, opts?: RequestOptions) => request<T>("PATCH", path, { body }, opts),
  delete: <T>(path: string, body?: unknown, opts?: RequestOptions) => request<T>("DELETE", path, { body }, opts),
};

export function isApiError(err: unknown): err is ApiError {
  return err instanceof ApiError;
}
