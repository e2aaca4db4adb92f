/** Passkeys, happy paths: register (named), list, rename, discoverable sign-in, passkey step-up, delete. */
import { and, eq } from "drizzle-orm";
import { describe, expect, it, vi } from "vitest";
import { emailOutbox, passkeys } from "../../../worker/db/schema";
import { db } from "../../factories";
import { cookieFrom, type TestClient, expectAudit, signedInCustomer } from "../../helpers";
import { enrolTotp, registerPasskey, type SoftAuthenticator } from "../../security";

// The first test of a file pays for loading the security modules (WebAuthn library, otpauth, the common-password
// list) into a fresh isolate, plus several 100k-iteration hashes: seconds on a
// busy 2-core machine. The default 5 s would make that flaky, not the code.
vi.setConfig({ testTimeout: 30_000 });

async function passkeySignIn(client: TestClient, auth: SoftAuthenticator) {
  const options = (await (await client.request("POST", "/api/auth/passkey/options")).json()) as { challenge: string; rpId: string; allowCredentials?: unknown[] };
  return client.request("POST", "/api/auth/passkey/verify", { body: { response: await auth.assert(options) } });
}

describe("passkeys", () => {
  it("registers a named passkey, lists it, renames it; audit row and 'passkey added' email", async () => {
    const { user, client, cookie } = await signedInCustomer();
    const options = (await (await client.request("POST", "/api/account/passkeys/registration/options", { cookie })).json()) as {
      rp: { id: string; name: string };
      authenticatorSelection: { residentKey: string; userVerification: string };
      user: { name: string };
    };
    expect(options.rp).toEqual({ id: "localhost", name: "Cumulus" });
    expect(options.authenticatorSelection).toMatchObject({ residentKey: "required", userVerification: "required" });
    expect(options.user.name).toBe(user.email);

    const auth = await registerPasskey(client, cookie, "Work laptop");
    const list = ((await (await client.request("GET", "/api/account/passkeys", { cookie })).json()) as { items: { id: string; name: string; lastUsedAt: string | null }[] }).items;
    expect(list).toEqual([expect.objectContaining({ id: auth.id, name: "Work laptop", lastUsedAt: null })]);
    const row = await db().select().from(passkeys).where(eq(passkeys.id, auth.id)).get();
    expect(row!.userId).toBe(user.id);

    const rename = await client.request("PATCH", `/api/account/passkeys/${auth.id}`, { cookie, body: { name: "Old laptop" } });
    expect(rename.status).toBe(200);
    expect((await db().select().from(passkeys).where(eq(passkeys.id, auth.id)).get())!.name).toBe("Old laptop");
    await expectAudit({ targetId: auth.id, action: "passkey.added" });
    await expectAudit({ targetId: auth.id, action: "passkey.renamed" });
    const mail = await db().select().from(emailOutbox).where(and(eq(emailOutbox.toAddress, user.email), eq(emailOutbox.event, "passkey.added"))).get();
    expect(JSON.parse(mail!.data)["passkey.name"]).toBe("Work laptop");
  });

  it("signs in with the passkey alone (discoverable), even when TOTP is enabled: a passkey satisfies MFA", async () => {
    const { user, client, cookie } = await signedInCustomer();
    const auth = await registerPasskey(client, cookie);
    await enrolTotp(client, cookie);
    const res = await passkeySignIn(client, auth);
    expect(res.status, await res.clone().text()).toBe(200);
    expect(((await res.json()) as { user: { id: string } }).user.id).toBe(user.id);
    const session = cookieFrom(res);
    expect((await client.request("GET", "/api/account/profile", { cookie: session })).status).toBe(200);
    const row = await db().select().from(passkeys).where(eq(passkeys.id, auth.id)).get();
    expect(row!.counter).toBe(1);
    expect(row!.lastUsedAt).toBe(client.clock.now());
  });

  it("a passkey step-up allows deleting a passkey after the 5-minute window", async () => {
    const { user, client, cookie } = await signedInCustomer();
    const keep = await registerPasskey(client, cookie, "Phone");
    const drop = await registerPasskey(client, cookie, "Lost key");
    client.clock.advance(6 * 60_000);
    expect((await client.request("DELETE", `/api/account/passkeys/${drop.id}`, { cookie })).status).toBe(403);
    const options = (await (await client.request("POST", "/api/auth/step-up/passkey/options", { cookie })).json()) as { challenge: string; allowCredentials: { id: string }[] };
    expect(options.allowCredentials.map((c) => c.id).sort()).toEqual([keep.id, drop.id].sort());
    const stepUp = await client.request("POST", "/api/auth/step-up/passkey/verify", { cookie, body: { response: await keep.assert(options) } });
    expect(stepUp.status, await stepUp.clone().text()).toBe(204);
    const fresh = cookieFrom(stepUp);
    expect((await client.request("DELETE", `/api/account/passkeys/${drop.id}`, { cookie: fresh })).status).toBe(204);
    expect(await db().select().from(passkeys).where(eq(passkeys.userId, user.id))).toHaveLength(1);
    await expectAudit({ targetId: drop.id, action: "passkey.deleted" });
  });
});
