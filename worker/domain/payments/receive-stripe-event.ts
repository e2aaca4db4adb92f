/**
 * `POST /api/webhooks/stripe`: verify the raw body's signature with the saved signing secret
 * (`constructEventAsync` + the Web Crypto provider: the sync variant cannot run on workerd), store the event id
 * once, enqueue it, answer. A bad or stale signature is refused with 400 and written nowhere. The work happens
 * in the queue consumer (apply-event.ts), so the answer is fast and does not depend on downstream health.
 */
import type Stripe from "stripe";
import { atomically, rawStatement } from "../../db/atomic";
import { DomainError } from "../../errors";
import type { PaymentEventMessage } from "../../contract/messages";
import { loadStripe } from "../../integrations/payments/stripe";
import type { DomainContext } from "../context";
import { gatewaySecrets, loadGatewayRow, type StripeSecrets } from "./gateway-store";

const badSignature = () => new DomainError("VALIDATION_FAILED", "Webhook signature verification failed.");

export async function receiveStripeEvent(args: { ctx: DomainContext; rawBody: string; signature: string | null; queue: Queue<PaymentEventMessage> }): Promise<{ duplicate: boolean }> {
  const { ctx } = args;
  const secrets = await gatewaySecrets<StripeSecrets>(ctx.config, await loadGatewayRow(ctx, "stripe"));
  if (!secrets.webhookSecret || !args.signature) throw badSignature();
  const sdk = await loadStripe();
  let event: Stripe.Event;
  try {
    // Only the static helper is used: no API call, so no key is needed here.
    event = await sdk.webhooks.constructEventAsync(args.rawBody, args.signature, secrets.webhookSecret, undefined, sdk.createSubtleCryptoProvider());
  } catch {
    throw badSignature();
  }
  const objectId = String((event.data.object as { id?: string }).id ?? "");
  const [insert] = await atomically(ctx.db, [
    rawStatement("INSERT INTO payment_events (gateway, event_id, type, object_id, received_at) VALUES ('stripe', ?, ?, ?, ?) ON CONFLICT DO NOTHING", [event.id, event.type, objectId, ctx.clock.now()]),
  ]);
  const inserted = !!insert?.meta.changes;
  // A duplicate of an event not yet applied is enqueued again: its first message may have been lost.
  const pending = inserted || !!(await ctx.db.$client.prepare("SELECT 1 FROM payment_events WHERE gateway = 'stripe' AND event_id = ? AND processed_at IS NULL").bind(event.id).first());
  if (pending) await args.queue.send({ type: "payments.event", gateway: "stripe", eventId: event.id });
  return { duplicate: !inserted };
}
