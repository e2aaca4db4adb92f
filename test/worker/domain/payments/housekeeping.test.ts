/**
 * Payments housekeeping (cron): unprocessed webhook events older than 10 minutes are enqueued again (oldest
 * first, at most 100 per run); card-attempt buckets older than the previous hour are purged.
 */
import { describe, expect, it } from "vitest";
import type { PaymentEventMessage } from "../../../../worker/contract/messages";
import { cardAttempts, paymentEvents } from "../../../../worker/db/schema";
import { purgeCardAttempts } from "../../../../worker/domain/payments/card-attempts";
import { REPLAY_BATCH, replayPaymentEvents } from "../../../../worker/domain/payments/replay-events";
import { testNow } from "../../../clock";
import { capturingQueue, testCtx } from "../../../context";
import { db } from "../../../factories";

const MIN = 60_000;
const HOUR = 60 * MIN;

describe("replay payment events", () => {
  it("re-enqueues only events left unprocessed for more than 10 minutes, oldest first, 100 per run", async () => {
    const now = testNow();
    const row = (eventId: string, receivedAt: number, processedAt: number | null = null) => ({ gateway: "stripe", eventId, type: "payment_method.attached", objectId: "pm_x", receivedAt, processedAt });
    await db().insert(paymentEvents).values([row("evt_new", now - 2 * MIN), row("evt_done", now - HOUR, now - HOUR + 1), row("evt_old", now - 30 * MIN), row("evt_older", now - 40 * MIN)]);
    const sent: PaymentEventMessage[] = [];
    expect(await replayPaymentEvents(testCtx(), capturingQueue(sent))).toBe(2);
    expect(sent).toEqual([
      { type: "payments.event", gateway: "stripe", eventId: "evt_older" },
      { type: "payments.event", gateway: "stripe", eventId: "evt_old" },
    ]);

    const many = Array.from({ length: 120 }, (_, i) => row(`evt_bulk_${String(i).padStart(3, "0")}`, now - HOUR - i));
    for (let i = 0; i < many.length; i += 10) await db().insert(paymentEvents).values(many.slice(i, i + 10));
    const again: PaymentEventMessage[] = [];
    expect(await replayPaymentEvents(testCtx(), capturingQueue(again))).toBe(REPLAY_BATCH);
    expect(again[0]!.eventId).toBe("evt_bulk_119");
  });
});

describe("purge card attempts", () => {
  it("keeps the current and previous hour's buckets, deletes older ones", async () => {
    const bucket = Math.floor(testNow() / HOUR);
    await db().insert(cardAttempts).values([{ scope: "org:a", bucket, count: 1 }, { scope: "org:a", bucket: bucket - 1, count: 2 }, { scope: "org:a", bucket: bucket - 2, count: 3 }, { scope: "ip:b", bucket: bucket - 30, count: 9 }]);
    await purgeCardAttempts(testCtx());
    expect((await db().select().from(cardAttempts)).map((r) => r.bucket).sort()).toEqual([bucket - 1, bucket].sort());
  });
});
