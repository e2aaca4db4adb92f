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
    expect(realErrors()).toEqual([]);
  });
});
