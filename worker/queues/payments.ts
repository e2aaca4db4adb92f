/**
 * The payments queue consumer: each message names one stored webhook event (payment_events); applying it is
 * idempotent (apply-event.ts), so redelivery is harmless. Failures retry with backoff; after the last retry the
 * message goes to `cumulus-payments-dlq` (recorded in dead_letters) and the row stays unprocessed for replay.
 */
import { applyPaymentEvent } from "../domain/payments/apply-event";
import { reconcilePaymentEvent } from "../domain/self-pay/pay-all-reconcile";
import { PaymentEventMessage } from "../contract/messages";
import { consumer } from "./consume";

export const handlePaymentsBatch = consumer({
  name: "payments",
  schema: PaymentEventMessage,
  what: (body) => `payment event ${body.eventId}`,
  handle: (ctx, { gateway, eventId }) => applyPaymentEvent(ctx, gateway, eventId, reconcilePaymentEvent),
});
