/**
 * Email delivery: the transactional outbox. A row is written in the same D1 batch as the business change
 * that caused it (notify.ts), a queue message carrying its id follows after commit, and the consumer renders
 * and sends it. `idempotency_key` is unique, so retrying the business change never queues a second email.
 */
import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { created, flag, id, lastEdit, timestamps, updatedAt } from "./columns";

export const emailOutbox = sqliteTable(
  "email_outbox",
  {
    id: id(),
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
    /**
     * Claimed by a consumer until this time (ms): a concurrent delivery of the same row (a duplicate queue
     * message, the outbox relay) leaves it alone meanwhile. Cleared when the attempt is recorded.
     */
    leaseUntil: integer("lease_until"),
    lastError: text("last_error"),
    /** The rendered message as sent (kept for the Email Log and "resend"). */
    subject: text("subject"),
    html: text("html"),
    text: text("text"),
    messageId: text("message_id"),
    ...timestamps(),
    sentAt: integer("sent_at"),
  },
  (t) => [
    uniqueIndex("email_outbox_idempotency_uq").on(t.idempotencyKey),
    index("email_outbox_status_created_idx").on(t.status, t.createdAt),
    index("email_outbox_org_created_idx").on(t.orgId, t.createdAt),
  ],
);

/** What a template says: subject, HTML and text bodies, and its branding; saved and versioned as one. */
const templateContent = () => ({
  subject: text("subject").notNull(),
  html: text("html").notNull(),
  text: text("text").notNull(),
  /** JSON `{ background, headingColor, linkColor, logoAssetId }` (contract/email-render.ts `Branding`). */
  branding: text("branding").notNull().default("{}"),
});

/**
 * The administrator's version of a template ("Email Templates" → Edit). No row = the built-in default
 * (defaults.ts). `version` counts saves; every saved version is also kept in `email_template_versions`.
 * `html` is stored sanitized (sanitize.ts) and sanitized again after the tags are filled at send time.
 */
export const emailTemplates = sqliteTable("email_templates", {
  event: text("event").primaryKey(),
  ...templateContent(),
  version: integer("version").notNull(),
  ...lastEdit(),
});

/** Every saved version of a template (see / restore). A reset to the default is a version too. */
export const emailTemplateVersions = sqliteTable(
  "email_template_versions",
  {
    id: id(),
    event: text("event").notNull(),
    version: integer("version").notNull(),
    ...templateContent(),
    /** `save`, `restore` (of version N) or `reset` (to the built-in default). */
    note: text("note").notNull(),
    ...created(),
  },
  (t) => [uniqueIndex("email_template_versions_event_version_uq").on(t.event, t.version)],
);

/**
 * "SMTP Configuration": one row (`id = 'default'`). The password is AES-GCM encrypted with AAD
 * `platform|smtp.password|v1` and never leaves the worker. No row = the development fallback (SMTP_HOST).
 */
export const emailSmtpSettings = sqliteTable("email_smtp_settings", {
  id: id(),
  host: text("host").notNull(),
  port: integer("port").notNull(),
  secure: flag("secure"),
  useAuth: flag("use_auth"),
  login: text("login"),
  passwordEnc: text("password_enc"),
  fromName: text("from_name").notNull(),
  fromAddress: text("from_address").notNull(),
  ...lastEdit(),
});

/** "Delivery Configuration", one row per email type; no row = send to customers, no copies. */
export const emailDeliveryRules = sqliteTable("email_delivery_rules", {
  event: text("event").primaryKey(),
  sendToCustomers: flag("send_to_customers").default(true),
  bccAdmin: flag("bcc_admin").default(false),
  /** JSON array of validated addresses; each gets its own copy (`copy_kind = bcc_extra`). */
  bccTo: text("bcc_to").notNull().default("[]"),
  updatedAt: updatedAt(),
});

/**
 * Images for templates (logo, pictures), served publicly at /api/email-assets/<id> so mail can reference
 * them. Raster formats only (no SVG: it can carry script), size-limited, content checked by magic bytes.
 */
export const emailAssets = sqliteTable("email_assets", {
  id: id(),
  name: text("name").notNull(),
  contentType: text("content_type").notNull(),
  size: integer("size").notNull(),
  /** Base64 of the bytes. */
  data: text("data").notNull(),
  ...created(),
});
