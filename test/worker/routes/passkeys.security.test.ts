/**
 * Passkeys, security (docs/decisions/006-mfa-passkeys-step-up.md): challenges are server-side, single use and expire; wrong origin or
 * RP ID is refused; a counter regression is refused and audited; another user's passkey is out of reach.
 */
import { eq } from "drizzle-orm";
import { describe, expect, it, vi } from "vitest";
import { passkeys, webauthnChallenges } from "../../../worker/db/schema";
import { createOrg, createUser, db } from "../../factories";
import { expectError, signedIn, testClient, type TestClient, auditRows } from "../../helpers";
import { registerPasskey, SoftAuthenticator } from "../../security";

// The first test of a file pays for loading the security modules (WebAuthn library, otpauth, the common-password
// list) into a fresh isolate, plus several 100k-iteration hashes: seconds on a
// busy 2-core machine. The default 5 s would make that flaky, not the code.
vi.setConfig({ testTimeout: 30_000 });

async function withPasskey() {
  const org = await createOrg();
  const user = await createUser({ orgId: org.id, role: "customer" });
  const client = testClient();
  const cookie = await signedIn(client, user);
  const auth = await registerPasskey(client, cookie);
  return { user, client, cookie, auth };
}

async function signInOptions(client: TestClient) {
  return (await (await client.request("POST", "/api/auth/passkey/options")).json()) as { challenge: string; rpId: string };
}

const verify = (client: TestClient, response: unknown) => client.request("POST", "/api/auth/passkey/verify", { body: { response } });

describe("challenges", () => {
  it("stores the challenge server-side and consumes it once: a replayed assertion is refused", async () => {
    const { client, auth } = await withPasskey();
    const options = await signInOptions(client);
    expect(await db().select().from(webauthnChallenges).where(eq(webauthnChallenges.challenge, options.challenge))).toHaveLength(1);
    const response = await auth.assert(options);
    expect((await verify(client, response)).status).toBe(200);
    expect(await db().select().from(webauthnChallenges).where(eq(webauthnChallenges.challenge, options.challenge))).toHaveLength(0);
    await expectError(await verify(client, response), 400, "INVALID_CODE");
  });

  it("refuses an expired challenge (after 5 minutes)", async () => {
    const { client, auth } = await withPasskey();
    const options = await signInOptions(client);
    client.clock.advance(5 * 60_000 + 1);
    await expectError(await verify(client, await auth.assert(options)), 400, "INVALID_CODE");
  });

  it("refuses a challenge the server never issued, and one issued for registration", async () => {
    const { client, cookie, auth } = await withPasskey();
    await expectError(await verify(client, await auth.assert({ challenge: "bm90LWlzc3VlZC1ieS11cw" })), 400, "INVALID_CODE");
    const reg = (await (await client.request("POST", "/api/account/passkeys/registration/options", { cookie })).json()) as { challenge: string };
    await expectError(await verify(client, await auth.assert({ challenge: reg.challenge })), 400, "INVALID_CODE");
  });
});

describe("origin and RP ID", () => {
  it("refuses an assertion made for another origin (phishing site)", async () => {
    const { client, auth } = await withPasskey();
    const options = await signInOptions(client);
    await expectError(await verify(client, await auth.assert(options, { origin: "https://evil.example" })), 400, "INVALID_CODE");
  });

  it("refuses an assertion scoped to another RP ID", async () => {
    const { client, auth } = await withPasskey();
    const options = await signInOptions(client);
    await expectError(await verify(client, await auth.assert(options, { rpId: "evil.example" })), 400, "INVALID_CODE");
  });

  it("refuses a registration made for another origin", async () => {
    const org = await createOrg();
    const user = await createUser({ orgId: org.id, role: "customer" });
    const client = testClient();
    const cookie = await signedIn(client, user);
    const auth = await SoftAuthenticator.create();
    const options = (await (await client.request("POST", "/api/account/passkeys/registration/options", { cookie })).json()) as never;
    const response = await auth.register(options, { origin: "https://evil.example" });
    await expectError(await client.request("POST", "/api/account/passkeys/registration/verify", { cookie, body: { name: "x", response } }), 400, "INVALID_CODE");
    expect(await db().select().from(passkeys).where(eq(passkeys.userId, user.id))).toHaveLength(0);
  });
});

describe("signature counter", () => {
  it("refuses a counter that goes backwards and writes an audit event (possible cloned authenticator)", async () => {
    const { client, auth } = await withPasskey();
    expect((await verify(client, await auth.assert(await signInOptions(client), { counter: 5 }))).status).toBe(200);
    const res = await verify(client, await auth.assert(await signInOptions(client), { counter: 3 }));
    const err = await expectError(res, 400, "INVALID_CODE");
    expect(err.message).toMatch(/copied/);
    const audit = await auditRows({ targetId: auth.id, action: "passkey.counter_regression" });
    expect(audit).toHaveLength(1);
    expect((await db().select().from(passkeys).where(eq(passkeys.id, auth.id)).get())!.counter).toBe(5);
  });
});

describe("another user's passkey", () => {
  it("cannot be renamed, deleted or used for a step-up by someone else", async () => {
    const a = await withPasskey();
    const b = await withPasskey();
    await expectError(await b.client.request("PATCH", `/api/account/passkeys/${a.auth.id}`, { cookie: b.cookie, body: { name: "mine now" } }), 404, "NOT_FOUND");
    await expectError(await b.client.request("DELETE", `/api/account/passkeys/${a.auth.id}`, { cookie: b.cookie }), 404, "NOT_FOUND");
    const options = (await (await b.client.request("POST", "/api/auth/step-up/passkey/options", { cookie: b.cookie })).json()) as { challenge: string };
    await expectError(await b.client.request("POST", "/api/auth/step-up/passkey/verify", { cookie: b.cookie, body: { response: await a.auth.assert(options) } }), 400, "INVALID_CODE");
    expect((await db().select().from(passkeys).where(eq(passkeys.id, a.auth.id)).get())!.name).toBe("Test key");
  });
});
