/** What the system refuses, always as the JSON error envelope: unknown paths, a bad environment, bad bodies. */
import { describe, expect, it } from "vitest";
import { expectError, testClient } from "../../helpers";

describe("system routes", () => {
  it("unknown /api paths answer the JSON error envelope with 404", async () => {
    const client = testClient();
    await expectError(await client.request("GET", "/api/does-not-exist"), 404, "NOT_FOUND");
    await expectError(await client.request("DELETE", "/api/health"), 404, "NOT_FOUND");
  });

  it("a bad environment fails loudly with BAD_ENVIRONMENT and names the bad keys", async () => {
    const client = testClient({ env: { PASSWORD_PEPPER: "short", PUBLIC_ORIGIN: "not a url" } });
    const error = await expectError(await client.request("GET", "/api/health"), 500, "BAD_ENVIRONMENT");
    expect(error.message).toContain("PASSWORD_PEPPER");
    expect(error.message).toContain("PUBLIC_ORIGIN");
    expect(error.message).not.toContain("short"); // never echo secret values
  });

  it("production refuses plain-http origins and the development SMTP override", async () => {
    const client = testClient({ env: { APP_ENV: "production" } });
    const error = await expectError(await client.request("GET", "/api/health"), 500, "BAD_ENVIRONMENT");
    expect(error.message).toMatch(/PUBLIC_ORIGIN: must use https/);
    expect(error.message).toMatch(/SMTP_HOST/);
  });

  it("oversized bodies are refused with PAYLOAD_TOO_LARGE", async () => {
    const res = await testClient().request("POST", "/api/auth/login", { rawBody: JSON.stringify({ email: "a@b.co", password: "x".repeat(1_100_000) }) });
    await expectError(res, 413, "PAYLOAD_TOO_LARGE");
  });

  it("malformed JSON is a VALIDATION_FAILED error, not a crash", async () => {
    const res = await testClient().request("POST", "/api/auth/login", { rawBody: "{not json" });
    await expectError(res, 400, "VALIDATION_FAILED");
  });
});
