/**
 * Queue consumers.
 * - email: validates each message on its own and acks or retries it individually (one bad message never
 *   retries the whole batch). Until the email outbox lands (email delivery issue) no producer exists, so
 *   any message is unexpected: it is retried with backoff and, after max_retries, moves to the DLQ.
 * - dead letters: every message that ran out of retries is recorded in `dead_letters` (idempotent on the
 *   queue message id), so nothing vanishes silently.
 */
import { createDb } from "../db/client";
import { newId } from "../db/ids";
import { deadLetters } from "../db/schema";
import { EmailMessage } from "./messages";

/** Exponential backoff: 2, 4, 8 … seconds, capped at 10 minutes. */
export const retryDelaySeconds = (attempts: number) => Math.min(2 ** Math.max(1, attempts), 600);

export async function handleEmailBatch(batch: MessageBatch<unknown>, _env: Env, _ctx: ExecutionContext): Promise<void> {
  for (const message of batch.messages) {
    const parsed = EmailMessage.safeParse(message.body);
    if (!parsed.success) console.error(`[cumulus] malformed email message ${message.id}; retrying until dead-lettered`);
    else console.error(`[cumulus] email message ${message.id} for outbox ${parsed.data.outboxId} has no outbox yet; retrying`);
    message.retry({ delaySeconds: retryDelaySeconds(message.attempts) });
  }
}

export async function handleDeadLetterBatch(batch: MessageBatch<unknown>, env: Env, _ctx: ExecutionContext): Promise<void> {
  const db = createDb(env.DB);
  const now = Date.now();
  for (const message of batch.messages) {
    try {
      await db
        .insert(deadLetters)
        .values({
          id: newId("deadLetter", now),
          queue: batch.queue,
          messageId: message.id,
          body: JSON.stringify(message.body ?? null).slice(0, 100_000),
          attempts: message.attempts,
          receivedAt: now,
        })
        .onConflictDoNothing();
      message.ack();
    } catch (err) {
      console.error(`[cumulus] could not record dead letter ${message.id}:`, err);
      message.retry({ delaySeconds: 30 });
    }
  }
}
