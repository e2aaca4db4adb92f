/**
 * Security findings of issue 8 (low, but real): the cross-site check trusts only PUBLIC_ORIGIN; every /api/*
 * answer carries CSP, Referrer-Policy, nosniff and no-store; openapi.json's patterns are valid JSON Schema
 * regexes and every operation is named and declares its security; NUL and lone surrogates never get past the
 * boundary; the profile's email change does not tell whether an address has an account.
 */
import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { emailOutbox, organizations, users } from "../../../worker/db/schema";
import { testNow, today } from "../../clock";
import { createOrg, createSession, createUser, db } from "../../factories";
import { expectError, ORIGIN, signedIn, testClient, useWorld } from "../../helpers";

vi.setConfig({ testTimeout: 30_000 });

const w = useWorld();
let admin: string;
const c = testClient({ now: testNow() });
beforeAll(async () => {
  admin = await createSession(w.admin.id, testNow());
});

describe("cross-site check", () => {
  it("accepts only the configured PUBLIC_ORIGIN, never one derived from the Host or request URL", async () => {
    const cookie = await createSession(w.customerAUser.id, testNow());
    // The request URL (and so its Host) says evil.example, and so does Origin: refused.
    const app = (await import("../../../worker/app")).createApp({ clock: c.clock });
    const { env } = await import("cloudflare:workers");
    const spoofed = await app.request("http://evil.example/api/auth/logout", {
      method: "POST", body: "{}", headers: { host: "evil.example", origin: "http://evil.example", "content-type": "application/json", cookie },
    }, env);
    await expectError(spoofed, 403, "CSRF_REJECTED");
    expect((await c.request("GET", "/api/auth/session", { cookie })).status).toBe(200);
    // The configured origin still works from any Host.
    const ok = await app.request("http://evil.example/api/auth/logout", {
      method: "POST", body: "{}", headers: { host: "evil.example", origin: ORIGIN, "content-type": "application/json", cookie },
    }, env);
    expect(ok.status).toBe(204);
  });
});

describe("response headers on /api/*", () => {
  it("JSON, CSV, PDF, errors and 404s carry CSP, Referrer-Policy, nosniff and no-store", async () => {
    const inv = await c.request("POST", "/api/invoices", { cookie: admin, body: {
      for: "customer", orgId: w.direct.id, status: "unpaid", issueDate: today(), dueDate: today(), periodFrom: today(), periodTo: today(),
      items: [{ description: "x", quantity: "1", unitPrice: "1", taxable: false }],
    } });
    expect(inv.status, await inv.clone().text()).toBe(201);
    const { id } = (await inv.json()) as { id: string };
    const answers = [
      inv,
      await c.request("GET", "/api/invoices", { cookie: admin }),
      await c.request("GET", "/api/invoices/export.csv", { cookie: admin }),
      await c.request("GET", `/api/invoices/${id}/pdf`, { cookie: admin }),
      await c.request("GET", "/api/transactions/export.csv", { cookie: admin }),
      await c.request("GET", "/api/invoices"), // 401
      await c.request("GET", "/api/no-such-route"), // 404
      await c.request("POST", "/api/auth/logout", { headers: { origin: "https://evil.example" } }), // 403
      await c.request("GET", "/api/health"),
    ];
    for (const res of answers) {
      const where = `${res.status} ${res.headers.get("content-type")}`;
      expect(res.headers.get("content-security-policy"), where).toBe("default-src 'none'; frame-ancestors 'none'");
      expect(res.headers.get("referrer-policy"), where).toBe("no-referrer");
      expect(res.headers.get("x-content-type-options"), where).toBe("nosniff");
      expect(res.headers.get("cache-control"), where).toBe("no-store");
    }
  });
});

describe("openapi.json", () => {
  type Doc = { servers?: { url: string }[]; paths: Record<string, Record<string, { operationId?: string; security?: unknown[]; responses: Record<string, unknown> }>> };
  let doc: Doc;
  beforeAll(async () => {
    doc = (await (await c.request("GET", "/api/openapi.json")).json()) as Doc;
  });

  it("publishes every pattern as a valid ECMA-262 regex without flags; the colour pattern accepts every valid colour", () => {
    const patterns: string[] = [];
    const walk = (v: unknown) => {
      if (Array.isArray(v)) v.forEach(walk);
      else if (v && typeof v === "object") for (const [k, x] of Object.entries(v)) (k === "pattern" && typeof x === "string" ? patterns.push(x) : walk(x));
    };
    walk(doc);
    expect(patterns.length).toBeGreaterThan(3);
    for (const p of patterns) {
      expect(p, p).not.toMatch(/\/[gimsuy]*$/);
      expect(() => new RegExp(p, "u"), p).not.toThrow();
    }
    const colour = patterns.find((p) => p.includes("#"))!;
    for (const ok of ["#1d4ed8", "#1D4ED8", "#000000"]) expect(new RegExp(colour, "u").test(ok), ok).toBe(true);
    expect(new RegExp(colour, "u").test("#12345g")).toBe(false);
  });

  it("names every operation uniquely, declares security on each (public ones `[]`), has a server and a 4xx per operation", () => {
    const ids: string[] = [];
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        expect(op.operationId, `${method} ${path}`).toMatch(/^[a-z][A-Za-z0-9]+$/);
        ids.push(op.operationId!);
        expect(Array.isArray(op.security), `${method} ${path}`).toBe(true);
        const publicRoute = ["/api/health", "/api/openapi.json", "/api/auth/login"].includes(path);
        if (publicRoute) expect(op.security).toEqual([]);
        if (path !== "/api/health" && path !== "/api/openapi.json") expect(Object.keys(op.responses).some((s) => s.startsWith("4")), `${method} ${path}`).toBe(true);
      }
    }
    expect(new Set(ids).size).toBe(ids.length);
    expect(doc.servers?.[0]?.url).toBe("/");
  });
});

describe("NUL characters and lone surrogates are refused at the boundary", () => {
  const bad = ["Acme\u0000Corp", "Acme \ud800 Corp", "\udc00", "tail \ud83d"];
  it("in JSON values and keys, in any route, with the field named; nothing is stored", async () => {
    for (const name of bad) {
      const res = await c.request("POST", "/api/tax-rules", { cookie: admin, body: { name, country: "QA", ratePercent: "5", status: "active" } });
      const err = await expectError(res, 400, "VALIDATION_FAILED");
      expect(err.fields?.name, JSON.stringify(name)).toMatch(/invalid character/);
    }
    const nested = await c.request("POST", "/api/invoices", { cookie: admin, body: { for: "customer", orgId: w.direct.id, items: [{ description: "ok", quantity: "1", unitPrice: "1\u0000" }] } });
    expect((await expectError(nested, 400, "VALIDATION_FAILED")).fields?.["items.0.unitPrice"]).toMatch(/invalid character/);
    const key = await c.request("POST", "/api/tax-rules", { cookie: admin, rawBody: '{"name":"x","\\ud800":1,"country":"QA","ratePercent":"5","status":"active"}' });
    await expectError(key, 400, "VALIDATION_FAILED");
    // Well-formed text outside the BMP (a surrogate PAIR) is fine.
    const emoji = await c.request("POST", "/api/tax-rules", { cookie: admin, body: { name: "VAT 🌍 ünï", country: "QA", ratePercent: "5", status: "active" } });
    expect(emoji.status, await emoji.clone().text()).toBe(201);
  });

  it("in query strings and paths", async () => {
    await expectError(await c.request("GET", "/api/organizations?q=a%00b", { cookie: admin }), 400, "VALIDATION_FAILED");
    await expectError(await c.request("GET", "/api/invoices/inv%00x", { cookie: admin }), 400, "VALIDATION_FAILED");
    expect((await c.request("GET", "/api/organizations?q=%C3%BC", { cookie: admin })).status).toBe(200);
  });

  it("in the organization and profile names people see (nothing half-stored)", async () => {
    const user = await createUser({ orgId: w.direct.id, role: "customer" });
    const cookie = await createSession(user.id, testNow());
    const res = await c.request("PUT", "/api/account/profile", { cookie, body: { firstName: "Ann\u0000", lastName: "Lee", email: user.email, timeZone: "UTC" } });
    expect((await expectError(res, 400, "VALIDATION_FAILED")).fields?.firstName).toMatch(/invalid character/);
    expect((await db().select({ f: users.firstName }).from(users).where(eq(users.id, user.id)).get())?.f).toBe("Test");
    expect(await db().select().from(organizations).where(eq(organizations.name, "Acme\u0000Corp"))).toHaveLength(0);
  });
});

describe("profile email change", () => {
  it("answers the same for a used and an unused address; the clash is refused when the link is opened", async () => {
    const org = await createOrg();
    const [me, other] = [await createUser({ orgId: org.id, role: "customer" }), await createUser({ orgId: org.id, role: "customer" })];
    const client = testClient({ now: testNow() });
    const cookie = await signedIn(client, me);
    const change = (email: string) => client.request("PUT", "/api/account/profile", { cookie, body: { firstName: "Test", lastName: me.lastName, email, timeZone: "UTC" } });
    const unused = await change(`free-${crypto.randomUUID().slice(0, 8)}@example.test`);
    const used = await change(other.email);
    expect([unused.status, used.status]).toEqual([200, 200]);
    const [a, b] = [(await unused.json()) as Record<string, unknown>, (await used.json()) as Record<string, unknown>];
    expect(Object.keys(b).sort()).toEqual(Object.keys(a).sort());
    expect(b.emailConfirmationSent).toBe(true);

    const mail = await db().select().from(emailOutbox).where(and(eq(emailOutbox.toAddress, other.email), eq(emailOutbox.event, "email.change_confirmation"))).get();
    const token = /token=([A-Za-z0-9_-]{43})/.exec(mail!.data)![1]!;
    await expectError(await client.request("POST", "/api/account/email/confirm", { body: { token } }), 409, "CONFLICT");
    expect((await db().select({ e: users.email }).from(users).where(eq(users.id, me.id)).get())?.e).toBe(me.email);
  });
});
