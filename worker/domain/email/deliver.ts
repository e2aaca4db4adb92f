/**
 * Delivering outbox rows (called by the queue consumer).
 *
 * Per message: load the row by idempotency key; a row already `sent` is acknowledged without sending (a
 * redelivered message never sends twice); otherwise render (first attempt only: the rendered copy is kept
 * for the Email Log), send over the batch's SMTP session, then mark it sent. A failure records the attempt
 * and error and is retried with backoff; after the last retry the DLQ consumer marks the row failed.
 */
import { and, eq, inArray, lt, ne, sql } from "drizzle-orm";
import { emailOutbox } from "../../db/schema";
import type { MailerSession, SmtpSettings } from "../../integrations/mailer";
import type { DomainContext } from "../context";
import { renderAttachments, type AttachmentRef } from "./attachments";
import { renderTemplate, type RenderedEmail, type TagValues } from "./render";
import { sanitizeHtml } from "./sanitize";
import { effectiveTemplate, type EffectiveTemplate } from "./template-store";

export type OutboxRow = typeof emailOutbox.$inferSelect;

export async function loadOutbox(ctx: Pick<DomainContext, "db">, idempotencyKey: string): Promise<OutboxRow | undefined> {
  return ctx.db.select().from(emailOutbox).where(eq(emailOutbox.idempotencyKey, idempotencyKey)).get();
}

/** One query per 90 keys instead of one per message (D1 binds at most 100 parameters). */
export async function loadOutboxMany(ctx: Pick<DomainContext, "db">, keys: string[]): Promise<Map<string, OutboxRow>> {
  const rows = new Map<string, OutboxRow>();
  const unique = [...new Set(keys)];
  for (let i = 0; i < unique.length; i += 90) {
    for (const row of await ctx.db.select().from(emailOutbox).where(inArray(emailOutbox.idempotencyKey, unique.slice(i, i + 90)))) rows.set(row.idempotencyKey, row);
  }
  return rows;
}

/** Templates loaded once per queue batch (a batch of 100 invoices needs one read, not 100). */
export type TemplateCache = Map<string, Promise<EffectiveTemplate>>;

/**
 * The message as it is (or was) sent: the stored rendering when there is one (a retry or a resend sends exactly
 * what was rendered first), otherwise the effective template filled with the row's tag values, then sanitized.
 */
export async function renderOutbox(ctx: Pick<DomainContext, "db" | "config">, row: OutboxRow, cache: TemplateCache = new Map()): Promise<RenderedEmail> {
  if (row.subject !== null && row.html !== null && row.text !== null) return { subject: row.subject, html: row.html, text: row.text };
  const values = JSON.parse(row.data) as TagValues;
  let template = cache.get(row.event);
  if (!template) cache.set(row.event, (template = effectiveTemplate(ctx, row.event)));
  const t = await template;
  const filled = renderTemplate(t, values, t.branding, ctx.config.PUBLIC_ORIGIN);
  return { ...filled, html: await sanitizeHtml(filled.html) };
}

export function messageIdFor(row: OutboxRow, settings: SmtpSettings): string {
  return `<${row.id}@${settings.fromAddress.split("@").pop() ?? "cumulus"}>`;
}

export type DeliveryOutcome = "sent" | "already_sent" | "missing";

export async function deliverOutbox(
  ctx: Pick<DomainContext, "db" | "clock" | "config" | "fonts">,
  session: MailerSession,
  settings: SmtpSettings,
  idempotencyKey: string,
  cache: TemplateCache = new Map(),
  /** Rows read for the whole batch (loadOutboxMany); a key missing from it is read on its own. */
  prefetched?: Map<string, OutboxRow>,
): Promise<DeliveryOutcome> {
  const row = prefetched?.get(idempotencyKey) ?? (await loadOutbox(ctx, idempotencyKey));
  if (!row) return "missing";
  if (row.status === "sent") return "already_sent";
  const rendered = await renderOutbox(ctx, row, cache);
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
  // The same key twice in one batch (an at-least-once duplicate) must see this send.
  prefetched?.set(idempotencyKey, { ...row, status: "sent" });
  return "sent";
}

/** An attempt that failed before anything was sent (no SMTP connection). */
export async function recordAttemptFailure(ctx: Pick<DomainContext, "db" | "clock">, idempotencyKey: string, reason: string): Promise<void> {
  await ctx.db
    .update(emailOutbox)
    .set({ attempts: sql`${emailOutbox.attempts} + 1`, lastError: reason.slice(0, 1000), updatedAt: ctx.clock.now() })
    .where(and(eq(emailOutbox.idempotencyKey, idempotencyKey), ne(emailOutbox.status, "sent")));
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
