import { afterEach, describe, expect, it } from "vitest";
import type { CollectMessage } from "../../../../worker/contract/messages";
import { autoPayments, invoiceCollections } from "../../../../worker/db/schema";
import { collectInvoices } from "../../../../worker/domain/collection/collect";
import { Pacer, type PacerClock } from "../../../../worker/domain/collection/pacer";
import { collectDue } from "../../../../worker/domain/collection/retry-due";
import { fixedClock } from "../../../../worker/integrations/clock";
import { testNow } from "../../../clock";
import { gatewayCharges, invoiceRow, issuedInvoice, payerWithSavedCard } from "../../../collection-fixtures";
import { capturingQueue, testCtx } from "../../../context";
import { db } from "../../../factories";
import { control } from "../../../local-stripe";

afterEach(async () => void (await control("/__control/faults", {})));

/** A clock that only moves when the pacer sleeps: the test measures what the pacer asked for. */
function virtualClock(): PacerClock & { slept: number[] } {
  let t = 0;
  const slept: number[] = [];
  return { slept, now: () => t, sleep: async (ms) => void (slept.push(ms), (t += ms)) };
}

async function autoPayer() {
  const p = await payerWithSavedCard("4242424242424242");
  await db().insert(autoPayments).values({ orgId: p.org.id, enabled: true, paymentMethodId: p.card.id, updatedAt: testNow() - 60_000 });
  return p;
}

describe("collectInvoices (the cumulus-collect consumer)", () => {
  it("charges only unpaid invoices of organizations with Auto Payment on, paced", async () => {
    const on = await autoPayer();
    const off = await payerWithSavedCard("4242424242424242");
    const ids = [await issuedInvoice(on.org.id, 1_000), await issuedInvoice(on.org.id, 2_000), await issuedInvoice(off.org.id, 3_000)];
    const clock = virtualClock();
    const summary = await collectInvoices({ ctx: testCtx(), input: { invoiceIds: ids, initiatedBy: "auto" }, pacer: new Pacer(20, clock, 1) });
    expect(summary).toMatchObject({ charged: { paid: 2, declined: 0, requires_action: 0 }, deferred: [], rateLimited: 0 });
    expect((await invoiceRow(ids[2]!)).status).toBe("unpaid");
    expect(await gatewayCharges(off.org.id)).toEqual([]);
    // 1 request of burst, then one every 50 ms: 20 requests/s.
    expect(clock.slept).toEqual([50]);
  });

  it("a full billing page (100 ids, more than one statement may bind) is looked up in parts and charged", async () => {
    const on = await autoPayer();
    const real = [await issuedInvoice(on.org.id, 1_010), await issuedInvoice(on.org.id, 1_020)];
    const ids = [real[0]!, ...Array.from({ length: 98 }, (_, i) => `inv_absent_${i}`), real[1]!]; // the second in the last part
    const summary = await collectInvoices({ ctx: testCtx(), input: { invoiceIds: ids, initiatedBy: "auto" }, pacer: new Pacer(20, virtualClock(), 1) });
    expect(summary).toMatchObject({ charged: { paid: 2, declined: 0, requires_action: 0 }, deferred: [] });
    expect((await gatewayCharges(on.org.id)).map((p) => p.amount).sort()).toEqual([1_010, 1_020]);
  });

  it("backs off on 429 and replays the same attempt; a gateway that stays busy defers the rest", async () => {
    const { org } = await autoPayer();
    const first = await issuedInvoice(org.id, 1_100);
    const second = await issuedInvoice(org.id, 1_200);
    await control("/__control/faults", { fail429: 2, match: first });
    const clock = virtualClock();
    const ok = await collectInvoices({ ctx: testCtx(), input: { invoiceIds: [first, second], initiatedBy: "auto" }, pacer: new Pacer(20, clock, 1) });
    expect(ok, JSON.stringify(ok)).toMatchObject({ charged: { paid: 2 } });
    expect(ok.rateLimited).toBeGreaterThanOrEqual(1);
    expect(clock.slept.some((ms) => ms >= 250)).toBe(true);
    expect((await gatewayCharges(org.id)).map((p) => p.amount).sort()).toEqual([1_100, 1_200]);

    const third = await issuedInvoice(org.id, 1_300);
    const fourth = await issuedInvoice(org.id, 1_400);
    await control("/__control/faults", { fail429: 100, match: org.id });
    const busy = await collectInvoices({ ctx: testCtx(), input: { invoiceIds: [third, fourth], initiatedBy: "auto" }, pacer: new Pacer(20, virtualClock(), 1) });
    expect(busy.deferred).toEqual([third, fourth]);
    expect((await invoiceRow(third)).status).toBe("unpaid");
  });

  it("the cron enqueues due retries and never-attempted Auto Payment invoices, one message per page", async () => {
    const { org } = await autoPayer();
    const retryDue = await issuedInvoice(org.id, 500);
    const now = testNow();
    await db().insert(invoiceCollections).values({ invoiceId: retryDue, orgId: org.id, attempts: 1, nextAttemptAt: now - 1, updatedAt: now });
    const sent: CollectMessage[] = [];
    await collectDue({ ...testCtx(), clock: fixedClock(now), collectQueue: capturingQueue(sent) });
    expect(sent.find((m) => m.initiatedBy === "retry")?.invoiceIds).toContain(retryDue);
    const later: CollectMessage[] = [];
    const missed = await issuedInvoice(org.id, 600);
    await collectDue({ ...testCtx(), clock: fixedClock(now + 11 * 60_000), collectQueue: capturingQueue(later) });
    expect(later.flatMap((m) => m.invoiceIds)).toContain(missed);
  });
});
