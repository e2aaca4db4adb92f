/** The system routes answer: health, the real Worker entry with the portal's SPA fallback, the OpenAPI document. */
import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { routePolicies } from "../../../worker/routes/policy";
import { testClient } from "../../helpers";

describe("system routes", () => {
  it("GET /api/health answers ok", async () => {
    const res = await testClient().request("GET", "/api/health");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "ok" });
    expect(res.headers.get("x-request-id")).toMatch(/^req_/);
    expect(res.headers.get("cache-control")).toBe("no-store");
  });

  it("the real Worker entry serves the API and the portal with SPA fallback", async () => {
    const health = await exports.default.fetch("http://localhost:8787/api/health");
    expect(await health.json()).toEqual({ status: "ok" });
    const deepLink = await exports.default.fetch("http://localhost:8787/organizations/org_123");
    expect(deepLink.status).toBe(200);
    expect(deepLink.headers.get("content-type")).toContain("text/html");
    expect(await deepLink.text()).toContain('<div id="root">');
  });

  it("/api/openapi.json is OpenAPI 3.1 and lists every route with its schemas", async () => {
    const res = await testClient().request("GET", "/api/openapi.json");
    expect(res.status).toBe(200);
    const doc = (await res.json()) as { openapi: string; paths: Record<string, Record<string, { requestBody?: unknown; parameters?: unknown[] }>> };
    expect(doc.openapi).toBe("3.1.0");
    const documented = new Set(Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`)));
    expect([...routePolicies.keys()].sort()).toEqual([...documented].sort());
    // Request schemas come from the same zod schemas the routes validate with.
    const login = doc.paths["/api/auth/login"]!.post as { requestBody: { content: Record<string, { schema: { properties: object; required: string[] } }> } };
    expect(Object.keys(login.requestBody.content["application/json"]!.schema.properties).sort()).toEqual(["email", "password"]);
    const orgs = doc.paths["/api/organizations"]!.get!;
    expect((orgs.parameters as Array<{ name: string }>).map((p) => p.name).sort()).toEqual(["kind", "page", "pageSize", "q"]);
  });

  it("the env types see the test bindings", () => {
    expect(env.APP_ENV).toBe("test");
  });
});
