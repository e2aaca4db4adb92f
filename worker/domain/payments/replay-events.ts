/**
 * Cron: the webhook inbox's reconciler (docs/decisions/016c-card-settings.md). A webhook event is stored, then
 * enqueued; if the queue message is lost (send failed after the insert, retries exhausted, a consumer bug since
 * fixed), the row stays unprocessed. Events older than REPLAY_AFTER_MS still unprocessed are enqueued again, at
 * most REPLAY_BATCH per run (oldest first, one statement, the pending index); applying them is idempotent.
 */
import type { PaymentEventMessage } from "../../contract/messages";
import type { DomainContext } from "../context";

export const REPLAY_AFTER_MS = 10 * 60_000;
export const REPLAY_BATCH = 100;

export async function replayPaymentEvents(ctx: Pick<DomainContext, "db" | "clock">, queue: Queue<PaymentEventMessage>): Promise<number> {
  const { results } = await ctx.db.$client
    .prepare("SELECT gateway, event_id AS eventId FROM payment_events WHERE processed_at IS NULL AND received_at < ? ORDER BY received_at LIMIT ?")
    .bind(ctx.clock.now() - REPLAY_AFTER_MS, REPLAY_BATCH)
    .all<{ gateway: "stripe" | "adpay"; eventId: string }>();
  if (results.length) await queue.sendBatch(results.map((r) => ({ body: { type: "payments.event" as const, gateway: r.gateway, eventId: r.eventId } })));
  return results.length;
}
