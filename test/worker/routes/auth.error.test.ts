import { describe, expect, it } from "vitest";
import { INVALID_CREDENTIALS_MESSAGE } from "../../../worker/domain/auth/login";
import { createOrg, createUser } from "../../factories";
import { expectError, testClient } from "../../helpers";

describe("sign-in (errors)", () => {
  it("an unknown email and a wrong password give the same error", async () => {
    const org = await createOrg();
    const user = await createUser({ orgId: org.id, role: "customer" });
    const client = testClient();
    const wrong = await expectError((await client.login(user.email, "not the password")).res, 401, "INVALID_CREDENTIALS");
    const unknown = await expectError((await client.login(`nobody-${crypto.randomUUID()}@example.test`, "whatever")).res, 401, "INVALID_CREDENTIALS");
    expect(wrong.message).toBe(INVALID_CREDENTIALS_MESSAGE);
    expect(unknown.message).toBe(wrong.message);
  });

  it("an unknown email still costs one password derivation (no timing oracle)", async () => {
    const derivations = (globalThis as { __pbkdf2Iterations?: number[] }).__pbkdf2Iterations!;
    const client = testClient();
    await client.login("warmup@example.test", "x"); // the dummy hash is derived once per isolate
    const before = derivations.length;
    await client.login(`nobody-${crypto.randomUUID()}@example.test`, "whatever");
    expect(derivations.length - before).toBe(1);
  });

  it("a disabled user cannot sign in and gets the same error", async () => {
    const org = await createOrg();
    const user = await createUser({ orgId: org.id, role: "customer", status: "disabled" });
    await expectError((await testClient().login(user.email, user.password)).res, 401, "INVALID_CREDENTIALS");
  });

  it("bad input gets field-level messages", async () => {
    const client = testClient();
    const res = await client.request("POST", "/api/auth/login", { body: { email: "not-an-email", password: "" } });
    const error = await expectError(res, 400, "VALIDATION_FAILED");
    expect(error.fields).toEqual({ email: "Enter a valid email address.", password: "Password is required." });
    const missing = await expectError(await client.request("POST", "/api/auth/login", { body: {} }), 400, "VALIDATION_FAILED");
    expect(Object.keys(missing.fields ?? {}).sort()).toEqual(["email", "password"]);
  });

  it("/api/auth/session without a cookie, or with a forged one, is 401", async () => {
    const client = testClient();
    await expectError(await client.request("GET", "/api/auth/session"), 401, "UNAUTHENTICATED");
    const forged = await client.request("GET", "/api/auth/session", { cookie: `cumulus_session=${"A".repeat(43)}` });
    await expectError(forged, 401, "UNAUTHENTICATED");
    expect(forged.headers.get("set-cookie")).toMatch(/Max-Age=0/);
  });
});
