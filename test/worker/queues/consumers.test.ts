import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import worker from "../../../worker/index";
import { eq } from "drizzle-orm";
import { describe, expect, it, vi } from "vitest";
import { deadLetters } from "../../../worker/db/schema";
import { retryDelaySeconds } from "../../../worker/queues/email";
import { db } from "../../factories";

describe("queue consumers", () => {
  it("acks or retries email messages one by one with exponential backoff (never the whole batch)", async () => {
    const batch = createMessageBatch("cumulus-email", [
      { id: "m-1", timestamp: new Date(), attempts: 1, body: { type: "email.send", outboxId: "out_1", idempotencyKey: "k1" } },
      { id: "m-2", timestamp: new Date(), attempts: 3, body: "garbage" },
    ]);
    const retry = vi.spyOn(batch.messages[1]!, "retry");
    const ctx = createExecutionContext();
    await worker.queue(batch, env, ctx);
    const result = await getQueueResult(batch, ctx);
    expect(retry).toHaveBeenCalledWith({ delaySeconds: 8 }); // attempts 3 → 2^3 s
    // m-1 names no outbox row (nothing to send): acknowledged; m-2 is malformed: retried until dead-lettered.
    expect(result.explicitAcks).toEqual(["m-1"]);
    expect(result.retryMessages).toEqual([{ msgId: "m-2" }]);
    expect(result.retryBatch.retry).toBe(false);
    expect([1, 2, 3, 10, 20].map(retryDelaySeconds)).toEqual([2, 4, 8, 600, 600]);
  });

  it("a batch from a queue with no consumer is logged and retried, never handed to another consumer", async () => {
    const batch = createMessageBatch("cumulus-unknown", [{ id: "u-1", timestamp: new Date(), attempts: 1, body: { type: "email.send", outboxId: "out_u", idempotencyKey: "ku" } }]);
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    const ctx = createExecutionContext();
    await worker.queue(batch, env, ctx);
    const result = await getQueueResult(batch, ctx);
    expect(logged).toHaveBeenCalledWith(expect.stringContaining('no consumer for queue "cumulus-unknown"'));
    logged.mockRestore();
    expect(result.retryBatch.retry).toBe(true);
    expect(result.explicitAcks).toEqual([]);
  });

  it("records dead letters once, even when the DLQ redelivers", async () => {
    const id = `dlq-${crypto.randomUUID()}`;
    const make = () => createMessageBatch("cumulus-email-dlq", [{ id, timestamp: new Date(), attempts: 6, body: { type: "email.send", outboxId: "out_x", idempotencyKey: "kx" } }]);
    for (let i = 0; i < 2; i++) {
      const batch = make();
      const ctx = createExecutionContext();
      await worker.queue(batch, env, ctx);
      expect((await getQueueResult(batch, ctx)).explicitAcks).toEqual([id]);
    }
    const rows = await db().select().from(deadLetters).where(eq(deadLetters.messageId, id));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ queue: "cumulus-email-dlq", attempts: 6 });
    expect(JSON.parse(rows[0]!.body)).toMatchObject({ outboxId: "out_x" });
  });
});
