/**
 * Queue consumers.
 * - email: a batch is claimed in one D1 statement, sent over parallel SMTP connections and settled in one
 *   (domain/email/deliver.ts, send-batch.ts); each message is then acked or retried on its own (one bad message
 *   never retries the whole batch), with exponential backoff.
 * - dead letters: every message that ran out of retries is recorded in `dead_letters` (idempotent on the queue
 *   message id) and its outbox row is marked failed with the reason, so nothing vanishes silently.
 */
import { createDb } from "../db/client";
import { newId } from "../db/ids";
import { deadLetters } from "../db/schema";
import { claimOutbox, markOutboxFailed, smtpFor, type Claim } from "../domain/email/deliver";
import { failClaimed, sendClaimed, timed, type BatchTrace, type OpenSession } from "../domain/email/send-batch";
import type { Clock } from "../integrations/clock";
import { openSmtpSession } from "../integrations/mailer";
import { configFor, envClock } from "../env";
import { EmailMessage } from "../contract/messages";
import { systemCtx } from "../domain/context";
import type { AttachmentRenderers } from "../domain/email/attachments";

/** Exponential backoff: 2, 4, 8 … seconds, capped at 10 minutes. */
export const retryDelaySeconds = (attempts: number) => Math.min(2 ** Math.max(1, attempts), 600);

type Parsed = { message: Message<unknown>; key: string };

/** Keys not claimed by this batch: sent, failed or unknown → done; leased by another consumer → after the lease. */
function settleUnclaimed(items: Parsed[], claim: Claim, now: number) {
  for (const { message, key } of items) {
    const other = claim.others.get(key);
    if (other?.status === "queued" && other.leaseUntil) message.retry({ delaySeconds: Math.max(1, Math.ceil((other.leaseUntil - now) / 1000)) });
    else message.ack();
  }
}

async function sendAll(ctx: Parameters<typeof sendClaimed>[0], claim: Claim, open: OpenSession, trace: BatchTrace | undefined) {
  let settings;
  try {
    settings = await smtpFor(ctx, claim.smtpRow);
  } catch (err) {
    return { sent: [], failed: await failClaimed(ctx, claim.claimed, `SMTP connection failed: ${err instanceof Error ? err.message : String(err)}`) };
  }
  if (!settings) return { sent: [], failed: await failClaimed(ctx, claim.claimed, "SMTP connection failed: SMTP is not configured (Configuration >> Email Settings >> SMTP Configuration)") };
  return sendClaimed(ctx, claim.claimed, settings, claim.templates, open, trace);
}

/**
 * Test seams: the SMTP client (one that fails or stops on cue), the clock (a lease that has run out), the
 * attachment renderers (a test kind) and the benchmark's phase timings.
 */
export interface EmailBatchDeps {
  open?: OpenSession;
  clock?: Clock;
  renderers?: AttachmentRenderers;
  trace?: BatchTrace;
}

export async function handleEmailBatch(batch: MessageBatch<unknown>, env: Env, _ctx: ExecutionContext, deps: EmailBatchDeps = {}): Promise<void> {
  const config = configFor(env);
  const items: Parsed[] = [];
  for (const message of batch.messages) {
    const parsed = EmailMessage.safeParse(message.body);
    if (parsed.success && config.ok) items.push({ message, key: parsed.data.idempotencyKey });
    else {
      console.error(`[cumulus] email message ${message.id} not processed (${parsed.success ? "BAD_ENVIRONMENT" : "malformed"}); retrying until dead-lettered`);
      message.retry({ delaySeconds: retryDelaySeconds(message.attempts) });
    }
  }
  if (!items.length || !config.ok) return;
  const ctx = systemCtx(env, { ...(deps.clock ? { clock: deps.clock } : {}), ...(deps.renderers ? { renderers: deps.renderers } : {}) });
  const claim = await timed(deps.trace, "claim", () => claimOutbox(ctx, items.map((i) => i.key), ctx.clock.now()));
  const mine = new Set(claim.claimed.map((r) => r.idempotencyKey));
  settleUnclaimed(items.filter((i) => !mine.has(i.key)), claim, ctx.clock.now());
  const { sent, failed } = await sendAll(ctx, claim, deps.open ?? openSmtpSession, deps.trace);
  const done = new Set(sent.map((s) => s.key));
  const reasons = new Map(failed.map((f) => [f.key, f.reason]));
  for (const { message, key } of items.filter((i) => mine.has(i.key))) {
    if (done.has(key)) message.ack();
    else {
      console.error(`[cumulus] email ${key} not sent (attempt ${message.attempts}): ${reasons.get(key) ?? "unknown"}`);
      message.retry({ delaySeconds: retryDelaySeconds(message.attempts) });
    }
  }
}

export async function handleDeadLetterBatch(batch: MessageBatch<unknown>, env: Env, _ctx: ExecutionContext): Promise<void> {
  const db = createDb(env.DB);
  const clock = envClock(env);
  const now = clock.now();
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
      const parsed = EmailMessage.safeParse(message.body);
      if (parsed.success) await markOutboxFailed({ db, clock }, parsed.data.idempotencyKey, `Gave up after ${message.attempts} attempts`);
      message.ack();
    } catch (err) {
      console.error(`[cumulus] could not record dead letter ${message.id}:`, err);
      message.retry({ delaySeconds: 30 });
    }
  }
}
