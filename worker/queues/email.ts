/**
 * Queue consumers.
 * - email: one SMTP connection per batch; each message is acked or retried on its own (one bad message never
 *   retries the whole batch), with exponential backoff. Sends are deduplicated on the outbox row.
 * - dead letters: every message that ran out of retries is recorded in `dead_letters` (idempotent on the queue
 *   message id) and its outbox row is marked failed with the reason, so nothing vanishes silently.
 */
import { createDb } from "../db/client";
import { newId } from "../db/ids";
import { deadLetters } from "../db/schema";
import { deliverOutbox, loadOutboxMany, markOutboxFailed, recordAttemptFailure, type TemplateCache } from "../domain/email/deliver";
import { effectiveSmtp } from "../domain/email/smtp-settings";
import { openSmtpSession, type MailerSession, type SmtpSettings } from "../integrations/mailer";
import { configFor, envClock } from "../middleware/services";
import { EmailMessage } from "./messages";
import { assetFonts } from "../domain/invoices/pdf/source";

/** Exponential backoff: 2, 4, 8 … seconds, capped at 10 minutes. */
export const retryDelaySeconds = (attempts: number) => Math.min(2 ** Math.max(1, attempts), 600);

export async function handleEmailBatch(batch: MessageBatch<unknown>, env: Env, _ctx: ExecutionContext): Promise<void> {
  const config = configFor(env);
  const db = createDb(env.DB);
  const clock = envClock(env);
  // The admin's SMTP Configuration (D1), else the development fallback; read once per batch.
  let settings: SmtpSettings | null = null;
  let connectError: string | null = config.ok ? null : "BAD_ENVIRONMENT";
  if (config.ok) {
    try {
      settings = await effectiveSmtp({ db, config: config.config });
      if (!settings) connectError = "SMTP is not configured (Configuration >> Email Settings >> SMTP Configuration)";
    } catch (err) {
      connectError = err instanceof Error ? err.message : String(err);
    }
  }
  let session: MailerSession | null = null;
  const templates: TemplateCache = new Map();
  // Every row of the batch in a few queries rather than one read per message.
  const keys = batch.messages.flatMap((m) => {
    const p = EmailMessage.safeParse(m.body);
    return p.success ? [p.data.idempotencyKey] : [];
  });
  const rows = await loadOutboxMany({ db }, keys).catch(() => undefined);

  for (const message of batch.messages) {
    const parsed = EmailMessage.safeParse(message.body);
    if (!parsed.success) {
      console.error(`[cumulus] malformed email message ${message.id}; retrying until dead-lettered`);
      message.retry({ delaySeconds: retryDelaySeconds(message.attempts) });
      continue;
    }
    try {
      if (!session && !connectError && settings) {
        session = await openSmtpSession(settings).catch((err: unknown) => {
          connectError = err instanceof Error ? err.message : String(err);
          return null;
        });
      }
      if (!session || !settings) {
        const reason = `SMTP connection failed: ${connectError}`;
        // Recorded on the row so the Email Log shows why it is still queued.
        await recordAttemptFailure({ db, clock }, parsed.data.idempotencyKey, reason).catch(() => {});
        throw new Error(reason);
      }
      if (!config.ok) throw new Error("BAD_ENVIRONMENT");
      await deliverOutbox({ db, clock, config: config.config, fonts: assetFonts(env.ASSETS) }, session, settings, parsed.data.idempotencyKey, templates, rows);
      message.ack();
    } catch (err) {
      console.error(`[cumulus] email ${parsed.data.outboxId} not sent (attempt ${message.attempts}):`, err instanceof Error ? err.message : err);
      message.retry({ delaySeconds: retryDelaySeconds(message.attempts) });
      // A failed send may leave the connection mid-transaction: start a fresh one for the next message.
      await session?.close();
      session = null;
    }
  }
  await session?.close();
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
