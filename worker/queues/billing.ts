/**
 * The billing queue consumer: each message is one page of a billing run. The page bills its subscriptions,
 * moves the run's cursor and enqueues the next page. A failure retries the same page (idempotent: invoices are
 * unique per subscription and period); after the last retry the message goes to `cumulus-billing-dlq`, is
 * recorded in `dead_letters`, and the run is marked failed with the reason.
 */
import { createDb } from "../db/client";
import { newRequestId } from "../db/ids";
import { markRunFailed, processBillingPage } from "../domain/billing/run";
import type { DomainContext } from "../domain/context";
import { clockFor } from "../integrations/clock";
import { configFor, envClock } from "../middleware/services";
import { BillingMessage, type EmailMessage } from "./messages";
import { retryDelaySeconds } from "./email";

export const BILLING_MAX_RETRIES = 5;

export async function handleBillingBatch(batch: MessageBatch<unknown>, env: Env, _ctx: ExecutionContext): Promise<void> {
  const config = configFor(env);
  for (const message of batch.messages) {
    const parsed = BillingMessage.safeParse(message.body);
    if (!parsed.success || !config.ok) {
      console.error(`[cumulus] billing message ${message.id} not processed (${parsed.success ? "BAD_ENVIRONMENT" : "malformed"})`);
      message.retry({ delaySeconds: retryDelaySeconds(message.attempts) });
      continue;
    }
    const ctx: DomainContext = {
      db: createDb(env.DB), clock: clockFor(config.config), config: config.config, requestId: newRequestId(), ip: null,
      emailQueue: env.EMAIL_QUEUE as Queue<EmailMessage>,
    };
    try {
      const { more } = await processBillingPage(ctx, parsed.data.runId);
      if (more) await (env.BILLING_QUEUE as Queue<BillingMessage>).send({ type: "billing.page", runId: parsed.data.runId });
      message.ack();
    } catch (err) {
      console.error(`[cumulus] billing page of ${parsed.data.runId} failed (attempt ${message.attempts}):`, err);
      message.retry({ delaySeconds: retryDelaySeconds(message.attempts) });
    }
  }
}

/** Dead letters of the billing queue: recorded by the shared handler; the run is marked failed here. */
export async function failRunsOf(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  const db = createDb(env.DB);
  for (const message of batch.messages) {
    const parsed = BillingMessage.safeParse(message.body);
    if (parsed.success) await markRunFailed({ db, clock: envClock(env) }, parsed.data.runId, `A page failed ${message.attempts} times; see the logs and resume from the cursor.`);
  }
}
