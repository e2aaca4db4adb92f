/**
 * Delivering outbox rows, a queue batch at a time (called by the email consumer, queues/email.ts;
 * docs/decisions/014b-email-batches.md).
 *
 * 1. claim — ONE D1 batch, one round trip: the rows' states before the claim, the claim itself (one UPDATE …
 *    RETURNING: queued rows not leased by someone else get `attempts + 1` and a lease), the templates of their
 *    types and the SMTP Configuration. A row already `sent` is acknowledged without sending (a redelivered
 *    message never sends twice); a row leased by another consumer is retried when the lease ends.
 * 2. render — the stored rendering when there is one (a retry sends exactly what was rendered first), else the
 *    effective template, sanitized once per batch (compiled-template.ts), filled with the row's escaped tags.
 * 3. send — over up to SMTP_CONNECTIONS connections in parallel (mailer.ts), each sending its share in turn.
 * 4. settle — ONE statement marks the sent rows (Message-ID, rendering kept for the Email Log) and one records
 *    the failures (error, lease released so the queue's retry can claim again). A batch settles what has been
 *    sent so far on the way every SETTLE_EVERY_ROWS outcomes or SETTLE_EVERY_MS, whichever comes first, so a
 *    consumer killed mid-batch (CPU limit, eviction) can only resend fewer than SETTLE_EVERY_ROWS messages, all
 *    accepted by the SMTP server in its last SETTLE_EVERY_MS (the RFC 1047 gap).
 */
import { and, eq, lt, ne } from "drizzle-orm";
import { rawStatement, atomically } from "../../db/atomic";
import { jsonRowsStatements, readBatch } from "../../db/bulk";
import { emailOutbox } from "../../db/schema";
import type { MailerSession, SmtpSettings } from "../../integrations/mailer";
import type { DomainContext } from "../context";
import { renderAttachments, type AttachmentRef } from "./attachments";
import { defaultTemplate } from "./defaults";
import { compileHtml, fillCompiled, type CompiledHtml } from "./compiled-template";
import { brandingValues } from "../../contract/email-render";
import { fillText, headerSafe, type RenderedEmail, type TagValues } from "./render";
import { settingsFromRow, developmentSmtp, type SmtpRow } from "./smtp-settings";
import { parseBranding, type EffectiveTemplate } from "./template-store";

export type OutboxRow = typeof emailOutbox.$inferSelect;

/** What delivering a row needs (the claim returns these columns). */
export type ClaimedRow = Pick<OutboxRow, "id" | "idempotencyKey" | "event" | "toAddress" | "toName" | "data" | "attachments" | "subject" | "html" | "text">;

/**
 * Parallel SMTP connections per batch. Workers allow 6 simultaneous open connections per invocation (connect(),
 * fetch, KV, Cache, R2, queue sends; D1 is not one of them) and queue a 7th until one closes: 5 keep one free,
 * so anything an attachment renderer fetches while the batch's sockets are open never waits on them.
 */
export const SMTP_CONNECTIONS = 5;
/** A claim protects a row this long; a batch that outlives it may meet a concurrent copy (never normally). */
export const LEASE_MS = 120_000;
/** A slow batch records what it has sent at least this often (bounds duplicates after a hard kill). */
export const SETTLE_EVERY_MS = 1_000;
/**
 * …and as soon as this many outcomes wait, whatever the time. Counted, not timed, because invocations in flight
 * together (max_concurrency) make each batch slower in wall clock: settling every 250 ms meant ~20 statements a
 * batch under load and cost 0.45 ms of CPU a message (ADR 014b). At most 2 + seconds-of-batch statements a batch.
 */
export const SETTLE_EVERY_ROWS = 50;

/** Templates of the batch's email types, read once (by the claim) per batch. */
export type TemplateCache = Map<string, Promise<EffectiveTemplate>>;

export interface Claim {
  /** Rows this batch now owns. */
  claimed: ClaimedRow[];
  /** Keys not claimed: their state (`sent`, `failed`, `leased` until ms) or absent (no such row). */
  others: Map<string, { status: string; leaseUntil: number | null }>;
  templates: TemplateCache;
  /** The saved SMTP Configuration row, if any. */
  smtpRow: SmtpRow | undefined;
}

const CLAIMED_COLUMNS = `id, idempotency_key AS idempotencyKey, event, to_address AS toAddress, to_name AS toName, data, attachments, subject, html, text`;

type TemplateRow = { event: string; subject: string; html: string; text: string; branding: string; version: number; updatedAt: number };
type SmtpDbRow = { id: string; host: string; port: number; secure: number; useAuth: number; login: string | null; passwordEnc: string | null; fromName: string; fromAddress: string; updatedBy: string | null; updatedAt: number };

export async function claimOutbox(ctx: Pick<DomainContext, "db">, keys: string[], now: number): Promise<Claim> {
  const json = JSON.stringify([...new Set(keys)]);
  const [before, claimed, templates, smtp] = await readBatch<[{ key: string; status: string; leaseUntil: number | null }, ClaimedRow, TemplateRow, SmtpDbRow]>(ctx.db.$client, [
    rawStatement(`SELECT idempotency_key AS key, status, lease_until AS leaseUntil FROM email_outbox WHERE idempotency_key IN (SELECT value FROM json_each(?1))`, [json]),
    rawStatement(
      `UPDATE email_outbox SET attempts = attempts + 1, lease_until = ?2, updated_at = ?3
       WHERE idempotency_key IN (SELECT value FROM json_each(?1)) AND status = 'queued' AND (lease_until IS NULL OR lease_until <= ?3)
       RETURNING ${CLAIMED_COLUMNS}`,
      [json, now + LEASE_MS, now],
    ),
    rawStatement(
      `SELECT event, subject, html, text, branding, version, updated_at AS updatedAt FROM email_templates
       WHERE event IN (SELECT event FROM email_outbox WHERE idempotency_key IN (SELECT value FROM json_each(?1)))`,
      [json],
    ),
    rawStatement(
      `SELECT id, host, port, secure, use_auth AS useAuth, login, password_enc AS passwordEnc, from_name AS fromName, from_address AS fromAddress,
         updated_by AS updatedBy, updated_at AS updatedAt FROM email_smtp_settings WHERE id = 'default'`,
      [],
    ),
  ]);
  const mine = new Set(claimed.map((r) => r.idempotencyKey));
  const cache: TemplateCache = new Map(templates.map((t) => [t.event, Promise.resolve({
    subject: t.subject, html: t.html, text: t.text, branding: parseBranding(t.branding), version: t.version, customized: true, updatedAt: t.updatedAt,
  })]));
  for (const r of claimed) if (!cache.has(r.event)) cache.set(r.event, Promise.resolve({ ...defaultTemplate(r.event), branding: {}, version: 0, customized: false, updatedAt: null }));
  const row = smtp[0];
  return {
    claimed,
    others: new Map(before.filter((b) => !mine.has(b.key)).map((b) => [b.key, { status: b.status, leaseUntil: b.leaseUntil }])),
    templates: cache,
    smtpRow: row ? { ...row, secure: !!row.secure, useAuth: !!row.useAuth } : undefined,
  };
}

/** The SMTP settings to send with: the saved configuration, else the development fallback; null if none. */
export async function smtpFor(ctx: Pick<DomainContext, "config">, row: SmtpRow | undefined): Promise<SmtpSettings | null> {
  return row ? settingsFromRow(ctx.config, row) : developmentSmtp(ctx.config);
}

/**
 * The message as it is (or was) sent: the stored rendering when there is one (a retry or a resend sends exactly
 * what was rendered first), otherwise the effective template filled with the row's tag values, then sanitized.
 */
export async function renderOutbox(ctx: Pick<DomainContext, "config">, row: Pick<OutboxRow, "event" | "data" | "subject" | "html" | "text">, cache: TemplateCache): Promise<RenderedEmail> {
  if (row.subject !== null && row.html !== null && row.text !== null) return { subject: row.subject, html: row.html, text: row.text };
  const t = await cache.get(row.event);
  if (!t) throw new Error(`No template loaded for ${row.event}`);
  // As renderTemplate (worker/contract/email-render.ts), with the HTML compiled once per batch's template.
  const values = { ...(JSON.parse(row.data) as TagValues), ...brandingValues(t.branding, ctx.config.PUBLIC_ORIGIN) };
  let html = compiledTemplates.get(t);
  if (!html) compiledTemplates.set(t, (html = compileHtml(t.html)));
  return { subject: headerSafe(fillText(t.subject, values)), html: await fillCompiled(await html, values), text: fillText(t.text, values) };
}

/** Each batch's templates (objects made by its claim), compiled on first use and dropped with the batch. */
const compiledTemplates = new WeakMap<EffectiveTemplate, Promise<CompiledHtml>>();

export function messageIdFor(row: Pick<OutboxRow, "id">, settings: SmtpSettings): string {
  return `<${row.id}@${settings.fromAddress.split("@").pop() ?? "cumulus"}>`;
}

export interface Sent {
  id: string;
  key: string;
  messageId: string;
  rendered: RenderedEmail;
}

export interface Failed {
  id: string;
  key: string;
  reason: string;
  rendered: RenderedEmail | null;
}

/** Renders, attaches and sends one row over `session`; throws with the rendering (if any) on failure. */
export async function sendRow(ctx: Pick<DomainContext, "db" | "clock" | "config" | "fonts" | "renderers">, session: MailerSession, settings: SmtpSettings, row: ClaimedRow, cache: TemplateCache): Promise<Sent> {
  const rendered = await renderOutbox(ctx, row, cache);
  const messageId = messageIdFor(row, settings);
  try {
    const attachments = await renderAttachments(ctx, JSON.parse(row.attachments) as AttachmentRef[]);
    await session.send({ toAddress: row.toAddress, toName: row.toName, ...rendered, messageId, attachments });
  } catch (err) {
    throw Object.assign(err instanceof Error ? err : new Error(String(err)), { rendered });
  }
  return { id: row.id, key: row.idempotencyKey, messageId, rendered };
}

/** The settle statements: sent rows marked (kept as rendered), failed ones recorded and released. */
export function settleStatements(sent: Sent[], failed: Failed[], now: number) {
  return [
    ...jsonRowsStatements(
      `UPDATE email_outbox SET status = 'sent', last_error = NULL, lease_until = NULL, sent_at = ?2, updated_at = ?2,
         message_id = j.value->>1, subject = j.value->>2, html = j.value->>3, text = j.value->>4
       FROM json_each(?1) j WHERE email_outbox.id = j.value->>0 AND email_outbox.status <> 'sent'`,
      sent.map((s) => [s.id, s.messageId, s.rendered.subject, s.rendered.html, s.rendered.text]), [now],
    ),
    ...jsonRowsStatements(
      `UPDATE email_outbox SET last_error = j.value->>1, lease_until = NULL, updated_at = ?2,
         subject = coalesce(j.value->>2, subject), html = coalesce(j.value->>3, html), text = coalesce(j.value->>4, text)
       FROM json_each(?1) j WHERE email_outbox.id = j.value->>0 AND email_outbox.status <> 'sent'`,
      failed.map((f) => [f.id, f.reason.slice(0, 1000), f.rendered?.subject ?? null, f.rendered?.html ?? null, f.rendered?.text ?? null]), [now],
    ),
  ];
}

export async function settleOutbox(ctx: Pick<DomainContext, "db" | "clock">, sent: Sent[], failed: Failed[]): Promise<void> {
  const statements = settleStatements(sent, failed, ctx.clock.now());
  if (statements.length) await atomically(ctx.db, statements);
}

/** The DLQ consumer: the message ran out of retries. */
export async function markOutboxFailed(ctx: Pick<DomainContext, "db" | "clock">, idempotencyKey: string, reason: string): Promise<void> {
  await ctx.db
    .update(emailOutbox)
    .set({ status: "failed", lastError: reason.slice(0, 1000), leaseUntil: null, updatedAt: ctx.clock.now() })
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
