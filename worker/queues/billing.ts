/**
 * The billing queue consumer: each message is one page of a billing run. The page bills its subscriptions,
 * moves the run's cursor and enqueues the next page. A failure retries the same page (idempotent: invoices are
 * unique per subscription and period); after the last retry the message goes to `cumulus-billing-dlq`, is
 * recorded in `dead_letters`, and the run is marked failed with the reason.
 */
import { createDb } from "../db/client";
import { markRunFailed, processBillingPage } from "../domain/billing/run";
import { envClock } from "../env";
import { BillingMessage } from "../contract/messages";
import { consumer } from "./consume";

export const BILLING_MAX_RETRIES = 5;

export const handleBillingBatch = consumer({
  name: "billing",
  schema: BillingMessage,
  what: (body) => `billing page of ${body.runId}`,
  async handle(ctx, { runId }) {
    const { more } = await processBillingPage(ctx, runId);
    if (more) await ctx.billingQueue.send({ type: "billing.page", runId });
  },
});

/** Dead letters of the billing queue: recorded by the shared handler; the run is marked failed here. */
export async function failRunsOf(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  // Not systemCtx: dead letters are recorded even when the environment is invalid (envClock falls back).
  const ctx = { db: createDb(env.DB), clock: envClock(env) };
  for (const message of batch.messages) {
    const parsed = BillingMessage.safeParse(message.body);
    if (parsed.success) await markRunFailed(ctx, parsed.data.runId, `A page failed ${message.attempts} times; see the logs and resume from the cursor.`);
  }
}
