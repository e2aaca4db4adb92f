/**
 * The collect queue consumer (docs/decisions/019-collection.md): one message names up to 100 invoices; they are
 * charged through the isolate's pacer (≈ 20 requests/s, backoff on 429). Invoices the gateway did not answer
 * for, or could not take because it stayed busy, go back on the queue with a delay (their attempts replay their
 * keys, never a fresh charge). A message that keeps failing ends in `cumulus-collect-dlq`.
 */
import { CollectMessage } from "../contract/messages";
import { collectInvoices } from "../domain/collection/collect";
import { isolatePacer } from "../domain/collection/pacer";
import { systemCtx } from "../domain/context";
import { configFor } from "../env";
import { retryDelaySeconds } from "./email";

export async function handleCollectBatch(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  const config = configFor(env);
  for (const message of batch.messages) {
    const parsed = CollectMessage.safeParse(message.body);
    if (!parsed.success || !config.ok) {
      console.error(`[cumulus] collect message ${message.id} not processed (${parsed.success ? "BAD_ENVIRONMENT" : "malformed"})`);
      message.retry({ delaySeconds: retryDelaySeconds(message.attempts) });
      continue;
    }
    const ctx = systemCtx(env);
    try {
      const summary = await collectInvoices({ ctx, input: parsed.data, pacer: isolatePacer() });
      if (summary.deferred.length) await ctx.collectQueue.send({ ...parsed.data, invoiceIds: summary.deferred }, { delaySeconds: 30 });
      message.ack();
    } catch (err) {
      console.error(`[cumulus] collect message ${message.id} failed (attempt ${message.attempts}):`, err);
      message.retry({ delaySeconds: retryDelaySeconds(message.attempts) });
    }
  }
}
