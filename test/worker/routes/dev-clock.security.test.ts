/** The development clock is a Cloud-Admin's, and never exists in production or without DEV_CLOCK=true. */
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { syncDevClock } from "../../../worker/domain/dev-clock/sync";
import type { AppDb } from "../../../worker/db/client";
import { parseConfig } from "../../../worker/env";
import { clockFor, systemClock } from "../../../worker/integrations/clock";
import { createWorld, type World } from "../../factories";
import { callerAs, expectError, testClient } from "../../helpers";

let w: World;
beforeAll(async () => {
  w = await createWorld();
});

describe("development clock security", () => {
  it("only a Cloud-Admin moves it or runs the sweep; everyone signed in may read the time; signed-out callers nothing", async () => {
    for (const who of [w.staffRead.id, w.staffAll.id, w.customerAUser.id, w.resellerAUser.id]) {
      const call = await callerAs(who, { DEV_CLOCK: "true" });
      await expectError(await call("POST", "/api/dev/clock/advance", { days: 1 }), 403, "FORBIDDEN");
      await expectError(await call("POST", "/api/dev/clock/reset"), 403, "FORBIDDEN");
      await expectError(await call("POST", "/api/dev/clock/dunning-sweep"), 403, "FORBIDDEN");
      expect((await call("GET", "/api/dev/clock")).status).toBe(200);
    }
    await expectError(await testClient({ env: { DEV_CLOCK: "true" } }).request("GET", "/api/dev/clock"), 401, "UNAUTHENTICATED");
  });

  it("off unless DEV_CLOCK=true: reads say so without touching D1, writes are 404; production refuses DEV_CLOCK and never reads it", async () => {
    const admin = await callerAs(w.admin.id);
    expect(await (await admin("GET", "/api/dev/clock")).json()).toMatchObject({ enabled: false, offsetMs: 0 });
    await expectError(await admin("POST", "/api/dev/clock/advance", { days: 1 }), 404, "NOT_FOUND");
    await expectError(await admin("POST", "/api/dev/clock/dunning-sweep"), 404, "NOT_FOUND");

    const parsed = parseConfig({ ...env, APP_ENV: "production", PUBLIC_ORIGIN: "https://billing.example.com", SMTP_HOST: undefined, SMTP_PORT: undefined, SMTP_ALLOW_LOOPBACK: undefined, CLOCK_OFFSET_MS: undefined, STRIPE_API_PROTOCOL: undefined, ADPAY_API_URL: undefined, DEV_CLOCK: "true" });
    expect(parsed.ok).toBe(false);
    expect(parsed.ok ? [] : parsed.problems.join("; ")).toContain("DEV_CLOCK");
    // Production configuration: the real clock, and no D1 read at all (this database throws if touched).
    const untouchable = new Proxy({}, { get: () => { throw new Error("D1 read in production"); } }) as AppDb;
    expect(await syncDevClock(untouchable, { APP_ENV: "production", DEV_CLOCK: "true" })).toBe(0);
    expect(clockFor({ APP_ENV: "production", DEV_CLOCK: "true" })).toBe(systemClock);
  });
});
