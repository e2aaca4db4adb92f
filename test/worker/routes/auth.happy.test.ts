import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { sessions, users } from "../../../worker/db/schema";
import { sha256Hex } from "../../../worker/integrations/crypto/encoding";
import { createOrg, createUser, db } from "../../factories";
import { cookieFrom, signedIn, testClient, auditRows } from "../../helpers";

describe("sign-in (happy path)", () => {
  it("signs in with email + password, sets an HttpOnly SameSite cookie and returns the session", async () => {
    const org = await createOrg({ kind: "customer" });
    const user = await createUser({ orgId: org.id, role: "customer" });
    const client = testClient();
    const { res } = await client.login(user.email.toUpperCase(), user.password);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { user: { id: string; role: string; org: { id: string } }; expiresAt: string };
    expect(body.user).toMatchObject({ id: user.id, role: "customer", org: { id: org.id } });
    expect(Date.parse(body.expiresAt)).toBe(client.clock.now() + 12 * 3_600_000);
    const setCookie = res.headers.get("set-cookie")!;
    expect(setCookie).toMatch(/^cumulus_session=[A-Za-z0-9_-]{43};/);
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Lax/);
    expect(setCookie).toMatch(/Path=\//);
  });

  it("stores only a hash of the token, and the cookie authenticates later requests", async () => {
    const org = await createOrg();
    const user = await createUser({ orgId: org.id, role: "customer" });
    const client = testClient();
    const cookie = await signedIn(client, user);
    const token = cookie.split("=")[1]!;
    const rows = await db().select().from(sessions).where(eq(sessions.userId, user.id));
    expect(rows).toHaveLength(1);
    expect(rows[0]!.id).toBe(await sha256Hex(token));
    expect(JSON.stringify(rows)).not.toContain(token);
    const me = await client.request("GET", "/api/auth/session", { cookie });
    expect(me.status).toBe(200);
    expect(((await me.json()) as { user: { email: string } }).user.email).toBe(user.email);
  });

  it("every sign-in creates a new session id (no fixation) and records last sign-in and an audit row", async () => {
    const org = await createOrg();
    const user = await createUser({ orgId: org.id, role: "customer" });
    const client = testClient();
    const first = await signedIn(client, user);
    const second = await signedIn(client, user);
    expect(first).not.toBe(second);
    const row = await db().select().from(users).where(eq(users.id, user.id)).get();
    expect(row!.lastLoginAt).toBe(client.clock.now());
    const audits = await auditRows({ actorUserId: user.id });
    expect(audits.filter((a) => a.action === "auth.sign_in")).toHaveLength(2);
  });

  it("uses the __Host- prefix and Secure when the portal is served over HTTPS", async () => {
    const org = await createOrg();
    const user = await createUser({ orgId: org.id, role: "customer" });
    const client = testClient({ env: { PUBLIC_ORIGIN: "https://billing.example.com" } });
    const res = await client.request("POST", "/api/auth/login", {
      body: { email: user.email, password: user.password },
      headers: { origin: "https://billing.example.com" },
    });
    expect(res.status).toBe(200);
    const setCookie = res.headers.get("set-cookie")!;
    expect(setCookie).toMatch(/^__Host-cumulus_session=/);
    expect(setCookie).toMatch(/Secure/);
    expect(setCookie).not.toMatch(/Domain=/);
  });

  it("sign-out revokes the session on the server: the old cookie no longer works", async () => {
    const org = await createOrg();
    const user = await createUser({ orgId: org.id, role: "customer" });
    const client = testClient();
    const cookie = await signedIn(client, user);
    const out = await client.request("POST", "/api/auth/logout", { cookie });
    expect(out.status).toBe(204);
    expect(out.headers.get("set-cookie")).toMatch(/Max-Age=0/);
    const after = await client.request("GET", "/api/auth/session", { cookie });
    expect(after.status).toBe(401);
    const row = await db().select().from(sessions).where(eq(sessions.id, await sha256Hex(cookie.split("=")[1]!))).get();
    expect(row!.revokedAt).not.toBeNull();
  });

  it("cookie helper reads the session cookie name", () => {
    expect(cookieFrom(new Response(null, { headers: { "set-cookie": "a=b; Path=/" } }))).toBe("a=b");
    expect(env.SESSION_IDLE_MINUTES).toBe("30");
  });
});
