/**
 * Threat: a page on another site making the user's browser change state here. State-changing requests
 * must be same-origin AND JSON; safe methods are never affected.
 */
import { describe, expect, it } from "vitest";
import { createOrg, createUser } from "../../factories";
import { expectError, ORIGIN, signedIn, testClient } from "../../helpers";

async function signedInClient() {
  const org = await createOrg();
  const user = await createUser({ orgId: org.id, role: "customer" });
  const client = testClient();
  return { client, cookie: await signedIn(client, user) };
}

describe("CSRF", () => {
  it("refuses a cross-site Origin", async () => {
    const { client, cookie } = await signedInClient();
    const res = await client.request("POST", "/api/auth/logout", { cookie, headers: { origin: "https://evil.example" } });
    await expectError(res, 403, "CSRF_REJECTED");
    expect((await client.request("GET", "/api/auth/session", { cookie })).status).toBe(200); // still signed in
  });

  it("refuses a request with neither Origin nor Sec-Fetch-Site, and one marked cross-site", async () => {
    const { client, cookie } = await signedInClient();
    const bare = await client.request("POST", "/api/auth/logout", { cookie, headers: { origin: "" } });
    await expectError(bare, 403, "CSRF_REJECTED");
    const crossSite = await client.request("POST", "/api/auth/logout", { cookie, headers: { origin: "", "sec-fetch-site": "cross-site" } });
    await expectError(crossSite, 403, "CSRF_REJECTED");
  });

  it("accepts Sec-Fetch-Site: same-origin when the browser sends no Origin", async () => {
    const { client, cookie } = await signedInClient();
    const res = await client.request("POST", "/api/auth/logout", { cookie, headers: { origin: "", "sec-fetch-site": "same-origin" } });
    expect(res.status).toBe(204);
  });

  it("refuses same-origin bodies that are not JSON (text/plain JSON and HTML forms)", async () => {
    const { client, cookie } = await signedInClient();
    for (const type of ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"]) {
      const res = await client.request("POST", "/api/auth/logout", { cookie, headers: { "content-type": type, origin: ORIGIN }, rawBody: "{}" });
      await expectError(res, 415, "UNSUPPORTED_MEDIA_TYPE");
    }
    expect((await client.request("GET", "/api/auth/session", { cookie })).status).toBe(200);
  });

  it("sign-in itself is protected (no login CSRF)", async () => {
    const client = testClient();
    const res = await client.request("POST", "/api/auth/login", { body: { email: "a@b.co", password: "x" }, headers: { origin: "https://evil.example" } });
    await expectError(res, 403, "CSRF_REJECTED");
  });

  it("GET requests are never blocked and never change state", async () => {
    const { client, cookie } = await signedInClient();
    const res = await client.request("GET", "/api/auth/session", { cookie, headers: { origin: "https://evil.example", "sec-fetch-site": "cross-site" } });
    expect(res.status).toBe(200);
  });
});
