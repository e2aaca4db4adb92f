/**
 * Smoke: the stack started by test/e2e/global-setup.ts answers, serves the portal, and keeps the
 * API's error envelope for unknown routes.
 */
import { describe, expect, test } from "vitest";
import { baseUrl, useBrowser } from "./harness";

describe("API", () => {
  test("GET /api/health reports ok", async () => {
    const res = await fetch(`${baseUrl()}/api/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: "ok" });
  });

  test("an unknown /api path is a JSON 404, not the SPA", async () => {
    const res = await fetch(`${baseUrl()}/api/no-such-route-e2e`);
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    const body = (await res.json()) as { error?: { code?: unknown; message?: unknown } };
    expect(body.error?.code).toBe("NOT_FOUND");
    expect(typeof body.error?.message).toBe("string");
  });
});

describe("security headers", () => {
  test("portal pages carry a strict CSP and anti-framing headers; API responses are not cached", async () => {
    const page = await fetch(`${baseUrl()}/organizations/some-deep-link`);
    expect(page.status).toBe(200);
    const csp = page.headers.get("content-security-policy") ?? "";
    const directive = (name: string) => csp.split(";").map((d) => d.trim()).find((d) => d.startsWith(`${name} `)) ?? "";
    // No inline or eval'd script anywhere; inline styles only (mail HTML previews need them).
    expect(directive("script-src")).toBe("script-src 'self'");
    expect(directive("object-src")).toBe("object-src 'none'");
    expect(directive("frame-ancestors")).toBe("frame-ancestors 'none'");
    expect(csp).not.toContain("unsafe-eval");
    expect(page.headers.get("x-frame-options")).toBe("DENY");
    expect(page.headers.get("x-content-type-options")).toBe("nosniff");
    const api = await fetch(`${baseUrl()}/api/health`);
    expect(api.headers.get("cache-control")).toBe("no-store");
  });
});

describe("portal", () => {
  const b = useBrowser();
  // Chromium logs every 4xx as a console error; the signed-out session probe (401) is expected.
  const realErrors = () => b.errors.filter((e) => !/Failed to load resource: the server responded with a status of 4\d\d/.test(e));

  test("the root page shows the sign-in form", async () => {
    await b.page.goto("/");
    await b.page.getByRole("heading", { name: "Sign in" }).waitFor({ state: "visible", timeout: 10_000 });
    await b.page.getByLabel("Email", { exact: true }).waitFor();
    await b.page.getByLabel("Password", { exact: true }).waitFor();
    await b.page.getByRole("button", { name: "Sign in", exact: true }).waitFor();
    // CSP violations would be console errors too: the strict policy holds for the real page.
    expect(realErrors()).toEqual([]);
  });
});
