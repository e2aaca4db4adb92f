/**
 * Request helpers for route tests: requests go through the real Hono app (createApp) with the pool's
 * bindings and a movable clock, so expiry and throttling windows are tested without sleeping.
 */
import { env } from "cloudflare:workers";
import { expect } from "vitest";
import { createApp } from "../worker/app";
import { fixedClock, type MovableClock } from "../worker/integrations/clock";
import { testNow } from "./clock";

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

/**
 * The newest audit row of `action` (optionally by one actor), asserted to exist; its diff is parsed.
 * Audit rows are append-only, so tests look for theirs by action and actor, never by position.
 */
export async function expectAudit(action: string, opts: { actorUserId?: string; targetId?: string } = {}) {
  const { auditLog } = await import("../worker/db/schema");
  const { and, desc, eq } = await import("drizzle-orm");
  const { createDb } = await import("../worker/db/client");
  const where = [eq(auditLog.action, action), ...(opts.actorUserId ? [eq(auditLog.actorUserId, opts.actorUserId)] : []), ...(opts.targetId ? [eq(auditLog.targetId, opts.targetId)] : [])];
  const row = await createDb(env.DB).select().from(auditLog).where(and(...where)).orderBy(desc(auditLog.at), desc(auditLog.id)).get();
  expect(row, `audit row ${action}`).toBeTruthy();
  return { ...row!, diff: JSON.parse(row!.diff) as Record<string, { before: unknown; after: unknown }> };
}
