/**
 * The payments queue consumer: each message names one stored webhook event (payment_events); applying it is
 * idempotent (apply-event.ts), so redelivery is harmless. Failures retry with backoff; after the last retry the
 * message goes to `cumulus-payments-dlq` (recorded in dead_letters) and the row stays unprocessed for replay.
 */
import { reconcilePaymentIntent } from "../domain/collection/resolve";
import { applyPaymentEvent } from "../domain/payments/apply-event";
import { systemCtx } from "../domain/context";
import { configFor } from "../env";
import { PaymentEventMessage } from "../contract/messages";
import { retryDelaySeconds } from "./email";

export async function handlePaymentsBatch(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  const config = configFor(env);
  for (const message of batch.messages) {
    const parsed = PaymentEventMessage.safeParse(message.body);
    if (!parsed.success || !config.ok) {
      console.error(`[cumulus] payments message ${message.id} not processed (${parsed.success ? "BAD_ENVIRONMENT" : "malformed"})`);
      message.retry({ delaySeconds: retryDelaySeconds(message.attempts) });
      continue;
    }
    const ctx = systemCtx(env);
    try {
      await applyPaymentEvent(ctx, parsed.data.gateway, parsed.data.eventId, reconcilePaymentIntent);
      message.ack();
    } catch (err) {
      console.error(`[cumulus] payment event ${parsed.data.eventId} failed (attempt ${message.attempts}):`, err);
      message.retry({ delaySeconds: retryDelaySeconds(message.attempts) });
    }
  }
}
