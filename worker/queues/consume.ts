/**
 * What the billing, collect and payments consumers share (the email consumer keeps its own: it reports per
 * delivery). Each message is read with its contract schema (worker/contract/messages.ts); a malformed one, or any
 * while the environment is invalid, is logged and retried, so after the last retry it lands in the queue's
 * dead-letter queue (recorded in dead_letters). `handle` runs with the system context: returning acks the
 * message, throwing logs `what` failed and retries it with backoff.
 */
import type { z } from "zod";
import { systemCtx, type DomainContext } from "../domain/context";
import { configFor } from "../env";
import { retryDelaySeconds } from "./email";

export interface Consumer<T> {
  /** The queue's short name in the logs ("billing" message … not processed). */
  name: string;
  schema: z.ZodType<T>;
  handle: (ctx: DomainContext, body: T) => Promise<unknown>;
  /** What failed, for the log line ("billing page of run_…"). */
  what: (body: T, message: Message<unknown>) => string;
}

export function consumer<T>(c: Consumer<T>): (batch: MessageBatch<unknown>, env: Env) => Promise<void> {
  return async (batch, env) => {
    const config = configFor(env);
    for (const message of batch.messages) {
      const parsed = c.schema.safeParse(message.body);
      if (!parsed.success || !config.ok) {
        console.error(`[cumulus] ${c.name} message ${message.id} not processed (${parsed.success ? "BAD_ENVIRONMENT" : "malformed"})`);
        message.retry({ delaySeconds: retryDelaySeconds(message.attempts) });
        continue;
      }
      try {
        await c.handle(systemCtx(env), parsed.data);
        message.ack();
      } catch (err) {
        console.error(`[cumulus] ${c.what(parsed.data, message)} failed (attempt ${message.attempts}):`, err);
        message.retry({ delaySeconds: retryDelaySeconds(message.attempts) });
      }
    }
  };
}
