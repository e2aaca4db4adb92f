/**
 * The development clock (docs/decisions/018a-dunning-extensions-and-dev-clock.md): a Cloud-Admin moves the
 * application's time; the Worker's requests, the organization's Durable Object and the queue/cron entry points
 * (same loader) all see it; the dunning sweep runs from it; back to real time.
 */
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createApp } from "../../../worker/app";
import { syncDevClock } from "../../../worker/domain/dev-clock/sync";
import type { OrgBilling } from "../../../worker/durable/org-billing";
import { clockFor } from "../../../worker/integrations/clock";
import { testNow } from "../../clock";
import { dunnedCustomer, openedCases, unpaidInvoice } from "../../dunning-fixtures";
import { createSession, db } from "../../factories";
import { ORIGIN, expectAudit, freshIp, useWorld } from "../../helpers";

const DAY = 86_400_000;
const DEV = { ...env, DEV_CLOCK: "true" } as Env;
const w = useWorld();
const cases = openedCases();

/** The app on the environment's own clock (no test clock): what `npm start` runs, with DEV_CLOCK=true. */
async function devCaller(userId: string, bindings: Env = DEV) {
  const app = createApp();
  const cookie = await createSession(userId, testNow());
  const ip = freshIp();
  return async (method: string, path: string, body?: unknown) =>
    app.request(`${ORIGIN}${path}`, {
      method, body: method === "GET" ? undefined : JSON.stringify(body ?? {}),
      headers: { cookie, origin: ORIGIN, "content-type": "application/json", "cf-connecting-ip": ip },
    }, bindings);
}

describe("development clock", () => {
  it("moves forward by days (audited), every part sees the same time, the dunning sweep opens a case that is now overdue, and it goes back to real time", async () => {
    const admin = await devCaller(w.admin.id);
    const start = (await (await admin("GET", "/api/dev/clock")).json()) as { enabled: boolean; offsetMs: number; now: number };
    expect(start).toMatchObject({ enabled: true, offsetMs: 0 });

    // Due in two days: not overdue on real time.
    const { org, sub, stub } = await dunnedCustomer();
    cases.track(org.id);
    await unpaidInvoice(org.id, 2, 3_000, sub.id);

    const moved = await admin("POST", "/api/dev/clock/advance", { days: 5 });
    expect(moved.status, await moved.clone().text()).toBe(200);
    expect(await moved.json()).toMatchObject({ enabled: true, offsetMs: 5 * DAY });
    await expectAudit({ action: "dev.clock.moved", actorUserId: w.admin.id });
    const now = ((await (await admin("GET", "/api/dev/clock")).json()) as { now: number }).now;
    expect(Math.abs(now - (testNow() + 5 * DAY))).toBeLessThan(60_000);

    // The same loader the queue consumers and the cron run first: their clock is moved too.
    expect(await syncDevClock(db(), { APP_ENV: "test", DEV_CLOCK: "true" })).toBe(5 * DAY);
    expect(Math.abs(clockFor({ APP_ENV: "test", DEV_CLOCK: "true", CLOCK_OFFSET_MS: Number(env.CLOCK_OFFSET_MS ?? 0) }).now() - now)).toBeLessThan(60_000);

    // The Durable Object, run with DEV_CLOCK=true, reads the same offset: the invoice is overdue for it.
    await runInDurableObject(stub, (instance: OrgBilling) => {
      (instance as unknown as { env: Env }).env = DEV;
    });
    const swept = await admin("POST", "/api/dev/clock/dunning-sweep");
    expect(swept.status, await swept.clone().text()).toBe(200);
    expect(((await swept.json()) as { entered: number }).entered).toBeGreaterThanOrEqual(1);
    expect((await stub.getCase(org.id)).state).toBe("grace");

    const reset = await admin("POST", "/api/dev/clock/reset");
    expect(await reset.json()).toMatchObject({ enabled: true, offsetMs: 0 });
    expect(await syncDevClock(db(), { APP_ENV: "test", DEV_CLOCK: "true" })).toBe(0);
  });
});
