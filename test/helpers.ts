/**
 * Request helpers for route tests: requests go through the real Hono app (createApp) with the pool's
 * bindings and a movable clock, so expiry and throttling windows are tested without sleeping.
 */
import { env } from "cloudflare:workers";
import { and, eq } from "drizzle-orm";
import { beforeAll, expect } from "vitest";
import { createDb } from "../worker/db/client";
import { auditLog } from "../worker/db/schema";
import { createApp } from "../worker/app";
import { fixedClock, type MovableClock } from "../worker/integrations/clock";
import { testNow } from "./clock";
import type { InvoiceDetail } from "../worker/contract/billing";
import { createCustomer, createSession, createWorld, type World } from "./factories";

export const ORIGIN = "http://localhost:8787";

export interface TestClient {
  clock: MovableClock;
  request(method: string, path: string, opts?: { body?: unknown; cookie?: string; headers?: Record<string, string>; rawBody?: string }): Promise<Response>;
  login(email: string, password: string, ip?: string): Promise<{ res: Response; cookie: string }>;
}

/** A fresh documentation-range client IP per client, so per-IP throttling from other tests never interferes. */
export const freshIp = () => `2001:db8::${crypto.randomUUID().slice(0, 4)}:${crypto.randomUUID().slice(0, 4)}`;

export function testClient(opts: { now?: number; env?: Record<string, string> } = {}): TestClient {
  const clock = fixedClock(opts.now ?? testNow());
  const app = createApp({ clock });
  const bindings = { ...env, ...opts.env } as Env;
  const ip = freshIp();
  const client: TestClient = {
    clock,
    async request(method, path, o = {}) {
      const headers: Record<string, string> = { "cf-connecting-ip": ip, ...o.headers };
      const unsafe = !["GET", "HEAD"].includes(method);
      if (unsafe) {
        headers["origin"] ??= ORIGIN;
        headers["content-type"] ??= "application/json";
      }
      if (o.cookie) headers["cookie"] = o.cookie;
      const body = o.rawBody ?? (o.body !== undefined ? JSON.stringify(o.body) : unsafe ? "{}" : undefined);
      return app.request(`${ORIGIN}${path}`, { method, headers, body }, bindings);
    },
    async login(email, password, loginIp) {
      const res = await client.request("POST", "/api/auth/login", { body: { email, password }, headers: loginIp ? { "cf-connecting-ip": loginIp } : {} });
      return { res, cookie: cookieFrom(res) };
    },
  };
  return client;
}

/** `name=value` of the session cookie set by a response (for the next request's Cookie header). */
export function cookieFrom(res: Response): string {
  const header = res.headers.get("set-cookie") ?? "";
  return header.split(";")[0] ?? "";
}

export async function signedIn(client: TestClient, user: { email: string; password: string }): Promise<string> {
  const { res, cookie } = await client.login(user.email, user.password);
  expect(res.status, await res.clone().text()).toBe(200);
  return cookie;
}

/** A new customer (own organization) signed in through the API on a client of its own. */
export async function signedInCustomer() {
  const user = await createCustomer();
  const client = testClient();
  const cookie = await signedIn(client, user);
  return { user, client, cookie };
}

/** Issues a manual invoice through the API as `cookie`'s user; the test fails unless it is created. */
export async function postManualInvoice(client: TestClient, cookie: string, body: unknown): Promise<InvoiceDetail> {
  const res = await client.request("POST", "/api/invoices", { cookie, body });
  expect(res.status, await res.clone().text()).toBe(201);
  return (await res.json()) as InvoiceDetail;
}

/** Asserts the single error envelope and returns it. */
export async function expectError(res: Response, status: number, code: string) {
  expect(res.status).toBe(status);
  const body = (await res.json()) as { error: { code: string; message: string; requestId: string; fields?: Record<string, string> } };
  expect(body.error.code).toBe(code);
  expect(typeof body.error.message).toBe("string");
  expect(body.error.requestId).toMatch(/^req_[0-9A-Z]{26}$/);
  expect(JSON.stringify(body)).not.toMatch(/at .*\.(ts|js):\d+/); // never a stack trace
  return body.error;
}

export interface AuditFilter {
  action?: string;
  targetId?: string;
  orgId?: string;
  actorUserId?: string;
}

/** The audit rows matching every given field. */
export async function auditRows(filter: AuditFilter) {
  const conditions = [
    filter.action !== undefined ? eq(auditLog.action, filter.action) : undefined,
    filter.targetId !== undefined ? eq(auditLog.targetId, filter.targetId) : undefined,
    filter.orgId !== undefined ? eq(auditLog.orgId, filter.orgId) : undefined,
    filter.actorUserId !== undefined ? eq(auditLog.actorUserId, filter.actorUserId) : undefined,
  ].filter((c) => c !== undefined);
  return createDb(env.DB).select().from(auditLog).where(and(...conditions));
}

/** Asserts that exactly `count` audit rows match (one by default) and returns them. */
export async function expectAudit(filter: AuditFilter, count = 1) {
  const rows = await auditRows(filter);
  expect(rows, `audit rows for ${JSON.stringify(filter)}`).toHaveLength(count);
  return rows;
}

/** A signed-in caller: `(method, path, body?)` with a fresh session of `userId` on a fresh test client. */
export type Call = (method: string, path: string, body?: unknown) => Promise<Response>;

/** `Call` with a shorthand per method, and the test client (its clock) behind it. */
export type Caller = Call & {
  client: TestClient;
  get: (path: string) => Promise<Response>;
  post: (path: string, body?: unknown) => Promise<Response>;
  put: (path: string, body?: unknown) => Promise<Response>;
  patch: (path: string, body?: unknown) => Promise<Response>;
  delete: (path: string) => Promise<Response>;
};

/** The one way a worker test signs in: `env` overrides bindings, `now` fixes the client's clock and the session's start. */
export async function callerAs(userId: string, env?: Record<string, string>, now?: number): Promise<Caller> {
  const client = testClient({ env, now });
  const cookie = await createSession(userId, client.clock.now());
  const call: Call = (method, path, body) => client.request(method, path, { cookie, body });
  return Object.assign(call, {
    client,
    get: (path: string) => call("GET", path),
    post: (path: string, body?: unknown) => call("POST", path, body),
    put: (path: string, body?: unknown) => call("PUT", path, body),
    patch: (path: string, body?: unknown) => call("PATCH", path, body),
    delete: (path: string) => call("DELETE", path),
  });
}

/**
 * The file's world (test/factories.ts `createWorld`), made once before its tests: `const world = useWorld();`.
 * The object is filled in by the `beforeAll` hook registered here, so it is read only inside tests and later hooks.
 */
export function useWorld(): World {
  const world = {} as World;
  beforeAll(async () => {
    Object.assign(world, await createWorld());
  });
  return world;
}
