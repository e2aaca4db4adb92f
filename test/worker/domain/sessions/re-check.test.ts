/**
 * The re-check carried as one more column of a read (SESSION_HOLDS_SQL, docs/decisions/014a-one-round-trip-reads.md)
 * decides exactly what resolving the session row decides (`liveSession(row)?.grants === remembered.grants`): any
 * change to what the session grants, a revocation, a disabled user, expiry or the idle timeout refuses it.
 */
import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { organizations, sessions, users } from "../../../../worker/db/schema";
import { liveSession, SESSION_HOLDS_SQL, SESSION_ROW_SQL, sessionHoldsParams, type LiveSession } from "../../../../worker/domain/sessions/store";
import { configFor, type Config } from "../../../../worker/env";
import { createOperatorAdmin, db } from "../../../factories";
import { signedIn, testClient } from "../../../helpers";

const config = (() => {
  const result = configFor(env as unknown as Env);
  if (!result.ok) throw new Error(result.problems.join("; "));
  return result.config as Config;
})();

/** Both verdicts on `remembered` at `now`: the SQL expression's, and the resolved row's. */
async function verdicts(remembered: LiveSession, now: number) {
  const sql = await env.DB.prepare(`SELECT ${SESSION_HOLDS_SQL} AS v`).bind(...sessionHoldsParams(remembered, now, config)).first<number>("v");
  const row = await env.DB.prepare(SESSION_ROW_SQL).bind(remembered.sessionId).first<Record<string, unknown>>();
  return { sql: sql === 1, row: liveSession(row ?? undefined, now, config)?.grants === remembered.grants };
}

async function rememberedSession() {
  const client = testClient();
  const admin = await createOperatorAdmin();
  await signedIn(client, admin);
  const id = (await db().select({ id: sessions.id }).from(sessions).where(eq(sessions.userId, admin.id)))[0]!.id;
  const now = client.clock.now();
  const row = await env.DB.prepare(SESSION_ROW_SQL).bind(id).first<Record<string, unknown>>();
  const remembered = liveSession(row ?? undefined, now, config)!;
  return { admin, remembered, now };
}

describe("the session re-check as one SQL column", () => {
  it("holds for the session as remembered, and refuses it once anything it grants changes", async () => {
    const { admin, remembered, now } = await rememberedSession();
    expect(await verdicts(remembered, now)).toEqual({ sql: true, row: true });
    const changes: [string, () => Promise<unknown>, () => Promise<unknown>][] = [
      ["role", () => db().update(users).set({ role: "staff" }).where(eq(users.id, admin.id)), () => db().update(users).set({ role: "cloud_admin" }).where(eq(users.id, admin.id))],
      ["privileges", () => db().update(users).set({ privileges: '["billing.read"]' }).where(eq(users.id, admin.id)), () => db().update(users).set({ privileges: JSON.stringify(remembered.principal.privileges) }).where(eq(users.id, admin.id))],
      ["email", () => db().update(users).set({ email: `x-${admin.email}` }).where(eq(users.id, admin.id)), () => db().update(users).set({ email: admin.email }).where(eq(users.id, admin.id))],
      ["name", () => db().update(users).set({ lastName: "Changed" }).where(eq(users.id, admin.id)), () => db().update(users).set({ lastName: remembered.principal.lastName }).where(eq(users.id, admin.id))],
      ["organization", () => db().update(organizations).set({ name: "Renamed" }).where(eq(organizations.id, remembered.principal.orgId)), () => db().update(organizations).set({ name: remembered.principal.orgName }).where(eq(organizations.id, remembered.principal.orgId))],
      ["step-up", () => db().update(sessions).set({ authAt: remembered.authAt + 1 }).where(eq(sessions.id, remembered.sessionId)), () => db().update(sessions).set({ authAt: remembered.authAt }).where(eq(sessions.id, remembered.sessionId))],
      ["disabled", () => db().update(users).set({ status: "disabled" }).where(eq(users.id, admin.id)), () => db().update(users).set({ status: "active" }).where(eq(users.id, admin.id))],
      ["revoked", () => db().update(sessions).set({ revokedAt: now }).where(eq(sessions.id, remembered.sessionId)), () => db().update(sessions).set({ revokedAt: null }).where(eq(sessions.id, remembered.sessionId))],
    ];
    for (const [what, change, restore] of changes) {
      await change();
      expect(await verdicts(remembered, now), what).toEqual({ sql: false, row: false });
      await restore();
      expect(await verdicts(remembered, now), `${what} restored`).toEqual({ sql: true, row: true });
    }
  });

  it("refuses an expired or idle session at the clock's now, like the resolved row", async () => {
    const { remembered, now } = await rememberedSession();
    const idle = config.SESSION_IDLE_MINUTES * 60_000;
    expect(await verdicts(remembered, remembered.lastSeenAt + idle - 1)).toEqual({ sql: true, row: true });
    expect(await verdicts(remembered, remembered.lastSeenAt + idle)).toEqual({ sql: false, row: false });
    await db().update(sessions).set({ expiresAt: now + 1 }).where(eq(sessions.id, remembered.sessionId));
    // The expiry is part of what the session grants, so changing it refuses too; at or past it both refuse.
    expect(await verdicts({ ...remembered, expiresAt: now + 1, grants: remembered.grants.replace(String(remembered.expiresAt), String(now + 1)) }, now + 1)).toEqual({ sql: false, row: false });
    expect(await verdicts({ ...remembered, expiresAt: now + 1, grants: remembered.grants.replace(String(remembered.expiresAt), String(now + 1)) }, now)).toEqual({ sql: true, row: true });
  });
});
