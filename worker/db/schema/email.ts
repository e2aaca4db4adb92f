/**
 * Email delivery: the transactional outbox. A row is written in the same D1 batch as the business change
 * that caused it (notify.ts), a queue message carrying its id follows after commit, and the consumer renders
 * and sends it. `idempotency_key` is unique, so retrying the business change never queues a second email.
 */
import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

export const emailOutbox = sqliteTable(
  "email_outbox",
  {
    id: text("id").primaryKey(),
    idempotencyKey: text("idempotency_key").notNull(),
    event: text("event").notNull(),
    /** The organization the email concerns (tags, delivery rules); null for platform mail such as SMTP tests. */
    orgId: text("org_id"),
    /** `recipient`: the event's own recipient; `bcc_admin` / `bcc_extra`: a separate copy (never a Bcc header). */
    copyKind: text("copy_kind", { enum: ["recipient", "bcc_admin", "bcc_extra"] }).notNull().default("recipient"),
    toAddress: text("to_address").notNull(),
    toName: text("to_name"),
    /** Tag values for rendering (JSON object of strings); ids and display values only, never secrets. */
    data: text("data").notNull(),
    /** JSON `[{ kind, ref }]`: attachments rendered at send time (e.g. `{ kind: "invoice_pdf", ref: "inv_…" }`). */
    attachments: text("attachments").notNull().default("[]"),
    status: text("status", { enum: ["queued", "sent", "failed"] }).notNull().default("queued"),
    attempts: integer("attempts").notNull().default(0),
    lastError: text("last_error"),
    /** The rendered message as sent (kept for the Email Log and "resend"). */
    subject: text("subject"),
    html: text("html"),
    text: text("text"),
    messageId: text("message_id"),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
    sentAt: integer("sent_at"),
  },
  (t) => [
    uniqueIndex("email_outbox_idempotency_uq").on(t.idempotencyKey),
    index("email_outbox_status_created_idx").on(t.status, t.createdAt),
    index("email_outbox_org_created_idx").on(t.orgId, t.createdAt),
  ],
);
