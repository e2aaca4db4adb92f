/**
 * Add a Card's card-testing counters, per scope: 5 an hour per organization, 10 per client IP (across
 * organizations) and 5 per card fingerprint (across organizations and IPs); a new hour starts a new budget.
 * The route test (payment-info.error) proves the organization limit end to end with Retry-After.
 */
import { describe, expect, it } from "vitest";
import { CARD_ATTEMPT_LIMITS, checkCardAttempts } from "../../../../worker/domain/payments/card-attempts";
import { fixedClock } from "../../../../worker/integrations/clock";
import { testNow } from "../../../clock";
import { testCtx } from "../../../context";
import { freshIp } from "../../../helpers";

const HOUR = 3_600_000;
const uid = () => crypto.randomUUID().slice(0, 8);

async function outcome(p: Promise<void>): Promise<string> {
  return p.then(() => "ok", (e: { code?: string }) => e.code ?? String(e));
}

describe("card-attempt counters", () => {
  it("one client IP: the 11th attempt in an hour is refused although each is a different organization and card", async () => {
    const ctx = { ...testCtx({ clock: fixedClock(testNow()) }), ip: freshIp() };
    const results: string[] = [];
    for (let i = 0; i <= CARD_ATTEMPT_LIMITS.ip; i++) results.push(await outcome(checkCardAttempts(ctx, { orgId: `org_${uid()}`, fingerprint: `fp_${uid()}` })));
    expect(results.slice(0, CARD_ATTEMPT_LIMITS.ip)).toEqual(Array(CARD_ATTEMPT_LIMITS.ip).fill("ok"));
    expect(results[CARD_ATTEMPT_LIMITS.ip]).toBe("RATE_LIMITED");
    // Another IP is not affected.
    await expect(checkCardAttempts({ ...ctx, ip: freshIp() }, { orgId: `org_${uid()}`, fingerprint: `fp_${uid()}` })).resolves.toBeUndefined();
  });

  it("one card: the 6th attempt in an hour is refused from any organization and IP; the next hour starts again", async () => {
    const fingerprint = `fp_${uid()}`;
    const now = Math.floor(testNow() / HOUR) * HOUR + 10 * 60_000;
    const ctx = testCtx({ clock: fixedClock(now) });
    const attempt = (c = ctx) => outcome(checkCardAttempts({ ...c, ip: freshIp() }, { orgId: `org_${uid()}`, fingerprint }));
    for (let i = 0; i < CARD_ATTEMPT_LIMITS.fingerprint; i++) expect(await attempt()).toBe("ok");
    expect(await attempt()).toBe("RATE_LIMITED");
    expect(await attempt(testCtx({ clock: fixedClock(now + HOUR) }))).toBe("ok");
  });
});
