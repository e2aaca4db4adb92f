/**
 * The collect queue consumer (docs/decisions/019-collection.md): one message names up to 100 invoices; they are
 * charged through the isolate's pacer (≈ 20 requests/s, backoff on 429). Invoices the gateway did not answer
 * for, or could not take because it stayed busy, go back on the queue with a delay (their attempts replay their
 * keys, never a fresh charge). A message that keeps failing ends in `cumulus-collect-dlq`.
 */
import { CollectMessage } from "../contract/messages";
import { collectInvoices } from "../domain/collection/collect";
import { isolatePacer } from "../domain/collection/pacer";
import { consumer } from "./consume";

export const handleCollectBatch = consumer({
  name: "collect",
  schema: CollectMessage,
  what: (_body, message) => `collect message ${message.id}`,
  async handle(ctx, input) {
    const summary = await collectInvoices({ ctx, input, pacer: isolatePacer() });
    if (summary.deferred.length) await ctx.collectQueue.send({ ...input, invoiceIds: summary.deferred }, { delaySeconds: 30 });
  },
});
