/** The cron trigger: every housekeeping job runs, and their effects are visible. */
import { createExecutionContext, createScheduledController } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { dunningCases, loginThrottle, sessions } from "../../../worker/db/schema";
import { DUNNING_CRON } from "../../../worker/contract/dunning";
import worker from "../../../worker/index";
import { createOrg, createSession, createUser, db } from "../../factories";
import { testNow } from "../../clock";
import { clearAlarm, dunnedCustomer, unpaidInvoice } from "../../dunning-fixtures";

describe("scheduled (cron)", () => {
  it("purges dead sessions and expired throttle rows, and completes its other jobs", async () => {
    const org = await createOrg();
    const user = await createUser({ orgId: org.id, role: "customer" });
    const longAgo = testNow() - 3 * 86_400_000;
    await createSession(user.id, longAgo); // expired an hour after longAgo
    const live = await createSession(user.id);
    const key = `acct:cron-test-${crypto.randomUUID()}`;
    await db().insert(loginThrottle).values({ key, failures: 3, windowStartedAt: longAgo, lockedUntil: 0 });

    await worker.scheduled(createScheduledController({ scheduledTime: testNow(), cron: "*/15 * * * *" }), env, createExecutionContext());

    const remaining = await db().select({ id: sessions.id }).from(sessions).where(eq(sessions.userId, user.id));
    expect(remaining).toHaveLength(1);
    expect(live).toBeTruthy();
    expect(await db().select().from(loginThrottle).where(eq(loginThrottle.key, key))).toHaveLength(0);
  });

  it("the dunning trigger runs the dunning sweep and nothing else", async () => {
    const { org } = await dunnedCustomer();
    await unpaidInvoice(org.id, -2);
    const user = await createUser({ orgId: org.id, role: "customer" });
    await createSession(user.id, testNow() - 3 * 86_400_000); // expired: the housekeeping jobs would purge it
    try {
      await worker.scheduled(createScheduledController({ scheduledTime: testNow(), cron: DUNNING_CRON }), env, createExecutionContext());
      expect((await db().select().from(dunningCases).where(eq(dunningCases.orgId, org.id)).get())?.state).toBe("grace");
      expect(await db().select({ id: sessions.id }).from(sessions).where(eq(sessions.userId, user.id))).toHaveLength(1);
    } finally {
      await clearAlarm(org.id);
    }
  });
});
