/**
 * Delivering outbox rows (called by the queue consumer).
 *
 * Per message: load the row by idempotency key; a row already `sent` is acknowledged without sending (a
 * redelivered message never sends twice); otherwise render (first attempt only: the rendered copy is kept
 * for the Email Log), send over the batch's SMTP session, then mark it sent. A failure records the attempt
 * and error and is retried with backoff; after the last retry the DLQ consumer marks the row failed.
 */
import { and, eq, lt, ne, sql } from "drizzle-orm";
import { emailOutbox } from "../../db/schema";
import type { MailerSession, SmtpSettings } from "../../integrations/mailer";
import type { DomainContext } from "../context";
import { renderAttachments, type AttachmentRef } from "./attachments";
import { defaultTemplate } from "./defaults";
import { fillHtml, fillText, headerSafe, type RenderedEmail, type TagValues } from "./render";

export type OutboxRow = typeof emailOutbox.$inferSelect;

export async function loadOutbox(ctx: Pick<DomainContext, "db">, idempotencyKey: string): Promise<OutboxRow | undefined> {
  return ctx.db.select().from(emailOutbox).where(eq(emailOutbox.idempotencyKey, idempotencyKey)).get();
}

export function renderOutbox(row: OutboxRow): RenderedEmail {
  if (row.subject !== null && row.html !== null && row.text !== null) return { subject: row.subject, html: row.html, text: row.text };
  const values = JSON.parse(row.data) as TagValues;
  const template = defaultTemplate(row.event);
  return { subject: headerSafe(fillText(template.subject, values)), html: fillHtml(template.html, values), text: fillText(template.text, values) };
}

export function messageIdFor(row: OutboxRow, settings: SmtpSettings): string {
  return `<${row.id}@${settings.fromAddress.split("@").pop() ?? "cumulus"}>`;
}

export type DeliveryOutcome = "sent" | "already_sent" | "missing";

export async function deliverOutbox(ctx: Pick<DomainContext, "db" | "clock" | "config">, session: MailerSession, settings: SmtpSettings, idempotencyKey: string): Promise<DeliveryOutcome> {
  const row = await loadOutbox(ctx, idempotencyKey);
  if (!row) return "missing";
  if (row.status === "sent") return "already_sent";
  const rendered = renderOutbox(row);
  const messageId = messageIdFor(row, settings);
  const now = ctx.clock.now();
  try {
    const attachments = await renderAttachments(ctx, JSON.parse(row.attachments) as AttachmentRef[]);
    await session.send({ toAddress: row.toAddress, toName: row.toName, ...rendered, messageId, attachments });
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    await ctx.db
      .update(emailOutbox)
      .set({ attempts: sql`${emailOutbox.attempts} + 1`, lastError: reason.slice(0, 1000), updatedAt: now, ...rendered })
      .where(eq(emailOutbox.id, row.id));
    throw err;
  }
  await ctx.db
    .update(emailOutbox)
    .set({ status: "sent", attempts: sql`${emailOutbox.attempts} + 1`, lastError: null, sentAt: now, updatedAt: now, messageId, ...rendered })
    .where(and(eq(emailOutbox.id, row.id), ne(emailOutbox.status, "sent")));
  return "sent";
}

/** The DLQ consumer: the message ran out of retries. */
export async function markOutboxFailed(ctx: Pick<DomainContext, "db" | "clock">, idempotencyKey: string, reason: string): Promise<void> {
  await ctx.db
    .update(emailOutbox)
    .set({ status: "failed", lastError: reason.slice(0, 1000), updatedAt: ctx.clock.now() })
    .where(and(eq(emailOutbox.idempotencyKey, idempotencyKey), ne(emailOutbox.status, "sent")));
}

/**
 * Cron relay: rows still queued and never attempted `olderThanMs` after creation lost their queue message
 * (the enqueue after commit failed); they get it again. Rows with attempts are in the queue's retry cycle.
 */
export async function staleQueuedOutbox(ctx: Pick<DomainContext, "db" | "clock">, olderThanMs: number, limit = 500) {
  return ctx.db
    .select({ id: emailOutbox.id, idempotencyKey: emailOutbox.idempotencyKey })
    .from(emailOutbox)
    .where(and(eq(emailOutbox.status, "queued"), eq(emailOutbox.attempts, 0), lt(emailOutbox.createdAt, ctx.clock.now() - olderThanMs)))
    .limit(limit);
}
