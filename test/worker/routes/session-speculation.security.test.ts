/**
 * A session this isolate remembers (docs/decisions/014a-one-round-trip-reads.md) never outlives the database's
 * word: a sign-out, a revocation from elsewhere, a disabled user or a changed role takes effect on the very next
 * request.
 */
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { sessions, users } from "../../../worker/db/schema";
import { createOperatorAdmin, db } from "../../factories";
import { expectError, signedIn, testClient } from "../../helpers";

describe("a remembered session never outlives the database's word", () => {
  it("revoked elsewhere (another isolate, another device): the next read is 401", async () => {
    const client = testClient();
    const admin = await createOperatorAdmin();
    const cookie = await signedIn(client, admin);
    expect((await client.request("GET", "/api/organizations", { cookie })).status).toBe(200);
    await db().update(sessions).set({ revokedAt: client.clock.now() }).where(eq(sessions.userId, admin.id));
    await expectError(await client.request("GET", "/api/organizations", { cookie }), 401, "UNAUTHENTICATED");
  });

  it("signed out: the next read is 401", async () => {
    const client = testClient();
    const cookie = await signedIn(client, await createOperatorAdmin());
    expect((await client.request("GET", "/api/organizations", { cookie })).status).toBe(200);
    expect((await client.request("POST", "/api/auth/logout", { cookie })).status).toBeLessThan(300);
    await expectError(await client.request("GET", "/api/organizations", { cookie }), 401, "UNAUTHENTICATED");
  });

  it("a disabled user or a changed role takes effect on the next read", async () => {
    const client = testClient();
    const admin = await createOperatorAdmin();
    const cookie = await signedIn(client, admin);
    expect((await client.request("GET", "/api/organizations", { cookie })).status).toBe(200);
    await db().update(users).set({ role: "staff", privileges: "[]" }).where(eq(users.id, admin.id));
    await expectError(await client.request("GET", "/api/organizations", { cookie }), 403, "FORBIDDEN");
    await db().update(users).set({ status: "disabled" }).where(eq(users.id, admin.id));
    await expectError(await client.request("GET", "/api/organizations", { cookie }), 401, "UNAUTHENTICATED");
  });
});
