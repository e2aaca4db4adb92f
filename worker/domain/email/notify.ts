/**
 * The notification service every module calls to send email (transactional outbox):
 *
 *   const mail = await prepareNotification(ctx, { event, orgId, to, tags, idempotencyKey });
 *   await atomically(ctx.db, [...businessChange, ...mail.statements]);   // one D1 batch
 *   await dispatchEmails(ctx, mail.messages);                            // after commit
 *
 * The outbox row commits with the change that caused it or not at all; the queue message is sent after
 * commit. If that send is lost, the cron's "email outbox relay" job (worker/index.ts, `staleQueuedOutbox` in deliver.ts) re-enqueues rows still queued. A unique
 * idempotency key per email means retrying the business change never queues a second copy, and the consumer
 * skips rows already sent, so a redelivered queue message does not send twice.
 */
import { eventDef, type EmailEventKey } from "../../contract/email-events";
import { EMAIL_LOCALE, formatDate as formatDateIn } from "../../contract/format";
import { isOperatorRole } from "../../contract/policy";
import type { Role } from "../../contract/roles";
import { rawStatement, type RawStatement } from "../../db/atomic";
import { jsonColumns, jsonRowsStatements, readBatch } from "../../db/bulk";
import { newId } from "../../db/ids";
import type { EmailMessage } from "../../contract/messages";
import type { DomainContext } from "../context";
import type { AttachmentRef } from "./attachments";
import { DEFAULT_RULE, parseList, type DeliveryRuleValues } from "./delivery-rules";
import { developmentSmtp, SMTP_ROW_ID } from "./smtp-settings";

export type Recipient = { userId: string } | { primaryContactOf: string } | { address: string; name?: string };

export interface Notification {
  event: EmailEventKey;
  /** Organization the email concerns (common tags, delivery rules); null for platform mail. */
  orgId: string | null;
  to: Recipient;
  /** The event's own tag values, already formatted for display (money with currency, dates). */
  tags: Record<string, string>;
  /** Unique per email, derived from business identity, e.g. `password.changed:<userId>:<changedAt>`. */
  idempotencyKey: string;
  /** Rendered at send time (see attachments.ts), e.g. `[{ kind: "invoice_pdf", ref: invoiceId }]`. */
  attachments?: AttachmentRef[];
}

export interface PreparedEmails {
  statements: RawStatement[];
  messages: EmailMessage[];
}

export interface ResolvedRecipient {
  address: string;
  name: string | null;
  firstName: string;
  lastName: string;
  /** Cloud-Admin or staff: not a customer/reseller, so "Send To All Customers/Reseller" does not apply. */
  operator: boolean;
}

interface PersonRow {
  email: string | null;
  first_name: string | null;
  last_name: string | null;
  role: Role | null;
}

function toRecipient(u: PersonRow | undefined): ResolvedRecipient | null {
  if (!u?.email) return null;
  const firstName = u.first_name ?? "";
  const lastName = u.last_name ?? "";
  return { address: u.email, name: `${firstName} ${lastName}`, firstName, lastName, operator: u.role !== null && isOperatorRole(u.role) };
}

/** An organization as the email tags need it, with its primary contact (null when it has none). */
interface OrgRow extends PersonRow {
  id: string;
  name: string;
  kind: string;
  reseller_name: string | null;
}

// Cached per isolate: a billing page formats the same few dates thousands of times (results are pure, so the
// memo is bounded by clearing, never stale).
const formattedDates = new Map<string, string>();

/** Dates in emails: the portal's date helper in the email locale, so an email and a list show a date alike. */
export function formatDate(ms: number, timeZone = "UTC"): string {
  const key = `${ms}|${timeZone}`;
  let text = formattedDates.get(key);
  if (text !== undefined) return text;
  if (formattedDates.size >= 10_000) formattedDates.clear();
  formattedDates.set(key, (text = formatDateIn(ms, { locale: EMAIL_LOCALE, timeZone })));
  return text;
}

/**
 * `{{support.email}}`: the address mail is sent from ("SMTP Configuration" → sender address, or the development
 * mail catcher's). Empty, the default footer ended with a stray "·" (issue 8).
 */
function supportAddress(config: DomainContext["config"], l: Audience): string {
  return l.sender ?? developmentSmtp(config)?.fromAddress ?? "";
}

function commonTagValues(ctx: Pick<DomainContext, "config" | "clock">, org: OrgRow | undefined, recipient: ResolvedRecipient, l: Audience): Record<string, string> {
  const origin = ctx.config.PUBLIC_ORIGIN.replace(/\/$/, "");
  return {
    "platform.name": ctx.config.RP_NAME,
    "platform.logo_url": `${origin}/api/email-assets/default`,
    "portal.url": origin,
    "support.email": supportAddress(ctx.config, l),
    "organization.name": org?.name ?? "",
    "organization.type": !org ? "" : org.kind === "reseller" ? "Reseller" : org.kind === "customer" ? "Customer" : "Operator",
    "reseller.name": org?.reseller_name ?? "",
    "user.first_name": recipient.firstName,
    "user.last_name": recipient.lastName,
    "user.email": recipient.address,
    "current.date": formatDate(ctx.clock.now()),
  };
}

/** What preparing emails needs from D1, for many notifications in ONE round trip (five statements). */
export interface Audience {
  orgs: Map<string, OrgRow>;
  users: Map<string, PersonRow>;
  rules: Map<string, DeliveryRuleValues>;
  admin: { email: string; name: string } | null;
  /** The configured sender address (SMTP Configuration), null when none is saved. */
  sender: string | null;
}

/** Whose emails will be prepared: organizations (tags, primary contacts), users and event types. */
export interface Wanted {
  orgIds: Iterable<string>;
  userIds: Iterable<string>;
  events: Iterable<string>;
}

export function wantedBy(list: Notification[]): Wanted {
  const orgIds = new Set<string>();
  const userIds = new Set<string>();
  for (const n of list) {
    if (n.orgId) orgIds.add(n.orgId);
    if ("primaryContactOf" in n.to) orgIds.add(n.to.primaryContactOf);
    if ("userId" in n.to) userIds.add(n.to.userId);
  }
  return { orgIds, userIds, events: new Set(list.map((n) => n.event)) };
}

const inJson = (values: Iterable<string>) => JSON.stringify([...values]);

type RuleRow = { event: string; send_to_customers: number; bcc_admin: number; bcc_to: string };
export type AudienceRows = [OrgRow[], Array<PersonRow & { id: string }>, RuleRow[], PersonRow[], Array<{ from_address: string }>];

/**
 * The five reads behind an Audience, for the caller's batch. `orgsFrom` names the organizations by a subquery
 * instead of `want.orgIds` (a billing page: `{ with: "WITH page AS (…)", ids: "SELECT org_id FROM page", params }`).
 */
export function audienceStatements(want: Wanted, orgsFrom?: { with: string; ids: string; params: unknown[] }): RawStatement[] {
  const orgs = orgsFrom ?? { with: "", ids: "SELECT value FROM json_each(?1)", params: [inJson(want.orgIds)] };
  return [
    // The organization, its reseller's name and its primary contact (the recipient of "primary contact" mail).
    rawStatement(
      `${orgs.with} SELECT o.id, o.name, o.kind, r.name AS reseller_name, u.email, u.first_name, u.last_name, u.role
       FROM organizations o LEFT JOIN organizations r ON r.id = o.reseller_id LEFT JOIN users u ON u.id = o.primary_user_id
       WHERE o.id IN (${orgs.ids})`,
      orgs.params,
    ),
    rawStatement(`SELECT id, email, first_name, last_name, role FROM users WHERE id IN (SELECT value FROM json_each(?1))`, [inJson(want.userIds)]),
    rawStatement(`SELECT event, send_to_customers, bcc_admin, bcc_to FROM email_delivery_rules WHERE event IN (SELECT value FROM json_each(?1))`, [inJson(want.events)]),
    // "BCC to me" goes to the Cloud-Admin's own address (the oldest active cloud_admin), never staff.
    rawStatement(`SELECT email, first_name, last_name, role FROM users WHERE role = 'cloud_admin' AND status = 'active' ORDER BY created_at LIMIT 1`, []),
    rawStatement(`SELECT from_address FROM email_smtp_settings WHERE id = ?1`, [SMTP_ROW_ID]),
  ];
}

export function audienceFrom([orgs, users, rules, admins, smtp]: AudienceRows): Audience {
  const admin = toRecipient(admins[0]);
  return {
    orgs: new Map(orgs.map((o) => [o.id, o])),
    users: new Map(users.map((u) => [u.id, u])),
    rules: new Map(rules.map((r) => [r.event, { sendToCustomers: !!r.send_to_customers, bccAdmin: !!r.bcc_admin, bccTo: parseList(r.bcc_to) }])),
    admin: admin ? { email: admin.address, name: admin.name ?? "" } : null,
    sender: smtp[0]?.from_address ?? null,
  };
}

export async function loadAudience(ctx: Pick<DomainContext, "db">, want: Wanted): Promise<Audience> {
  const rows = await readBatch<[OrgRow, PersonRow & { id: string }, RuleRow, PersonRow, { from_address: string }]>(ctx.db.$client, audienceStatements(want));
  return audienceFrom(rows);
}

function recipientOf(to: Recipient, l: Audience): ResolvedRecipient | null {
  if ("address" in to) return { address: to.address, name: to.name ?? null, firstName: to.name?.split(" ")[0] ?? "", lastName: "", operator: false };
  return "userId" in to ? toRecipient(l.users.get(to.userId)) : toRecipient(l.orgs.get(to.primaryContactOf));
}

export async function resolveRecipient(ctx: DomainContext, to: Recipient): Promise<ResolvedRecipient | null> {
  const want = { orgIds: "primaryContactOf" in to ? [to.primaryContactOf] : [], userIds: "userId" in to ? [to.userId] : [], events: [] };
  return recipientOf(to, await loadAudience(ctx, want));
}

export async function commonTags(ctx: DomainContext, orgId: string | null, recipient: ResolvedRecipient): Promise<Record<string, string>> {
  const audience = await loadAudience(ctx, { orgIds: orgId ? [orgId] : [], userIds: [], events: [] });
  return commonTagValues(ctx, orgId ? audience.orgs.get(orgId) : undefined, recipient, audience);
}

interface OutboxRow {
  id: string;
  key: string;
  event: string;
  orgId: string | null;
  copyKind: "recipient" | "bcc_admin" | "bcc_extra";
  toAddress: string;
  toName: string | null;
  /** Tag values (the row's `data`). */
  tags: Record<string, string>;
  attachments: AttachmentRef[];
}

/** The copies of one notification (recipient, then BCC copies), applying the Delivery Configuration (ADR 007). */
function outboxRowsFor(ctx: Pick<DomainContext, "config" | "clock">, n: Notification, l: Audience, now: number): OutboxRow[] {
  const def = eventDef(n.event);
  if (!def) throw new Error(`Unknown email event: ${n.event}`);
  const recipient = recipientOf(n.to, l);
  if (!recipient) return [];
  const rule = l.rules.get(n.event) ?? DEFAULT_RULE;
  const tags = { ...commonTagValues(ctx, n.orgId ? l.orgs.get(n.orgId) : undefined, recipient, l), ...n.tags };
  const attachments = n.attachments ?? [];
  const row = (copyKind: OutboxRow["copyKind"], key: string, toAddress: string, toName: string | null): OutboxRow =>
    ({ id: newId("email", now), key, event: n.event, orgId: n.orgId, copyKind, toAddress, toName, tags, attachments });
  const rows: OutboxRow[] = [];
  if (def.alwaysToRecipient || rule.sendToCustomers || recipient.operator) rows.push(row("recipient", n.idempotencyKey, recipient.address, recipient.name));
  if (def.noCopies) return rows;
  const copied = new Set([recipient.address.toLowerCase()]);
  if (rule.bccAdmin && l.admin && !copied.has(l.admin.email.toLowerCase())) {
    copied.add(l.admin.email.toLowerCase());
    rows.push(row("bcc_admin", `${n.idempotencyKey}#bcc_admin`, l.admin.email, l.admin.name));
  }
  for (const address of rule.bccTo) {
    if (copied.has(address.toLowerCase())) continue;
    copied.add(address.toLowerCase());
    rows.push(row("bcc_extra", `${n.idempotencyKey}#bcc:${address.toLowerCase()}`, address, null));
  }
  return rows;
}

/**
 * Outbox inserts, set-based, one statement per event (bound once). `data` travels as the row's JSON text: one
 * extraction per row is cheaper in SQLite than building it from separate values (measured in ADR 014).
 */
function outboxStatements(rows: OutboxRow[], now: number): RawStatement[] {
  const byEvent = new Map<string, unknown[][]>();
  for (const r of rows) {
    const list = byEvent.get(r.event) ?? [];
    list.push([r.id, r.key, r.orgId, r.copyKind, r.toAddress, r.toName, r.attachments, JSON.stringify(r.tags)]);
    byEvent.set(r.event, list);
  }
  return [...byEvent].flatMap(([event, list]) =>
    jsonRowsStatements(
      `INSERT INTO email_outbox (id, idempotency_key, org_id, copy_kind, to_address, to_name, attachments, data, event, status, attempts, created_at, updated_at)
       SELECT ${jsonColumns(6)}, j.value->6, j.value->>7, ?2, 'queued', 0, ?3, ?3 FROM json_each(?1) j WHERE 1 ON CONFLICT (idempotency_key) DO NOTHING`,
      list, [event, now],
    ),
  );
}

/**
 * Builds the outbox statements for notifications (to include in the caller's batch) and the queue messages to
 * dispatch after commit, applying the Delivery Configuration (delivery-rules.ts): the recipient's copy unless
 * the type is switched off for customers/resellers, plus one separate row per BCC copy (never a Bcc header).
 * Copy keys derive from the notification's key (`<key>#bcc_admin`, `<key>#bcc:<address>`), so a retried
 * business change queues no second copy either. A recipient that cannot be resolved (no primary contact)
 * yields no email. Everything it reads comes in one D1 round trip however many notifications there are.
 */
export async function prepareNotifications(ctx: DomainContext, list: Notification[]): Promise<PreparedEmails> {
  if (list.length === 0) return { statements: [], messages: [] };
  return outboxFor(ctx, list, await loadAudience(ctx, wantedBy(list)));
}

/** The outbox rows of `list` with an audience loaded beforehand (a caller that retries loads it once). */
export function outboxFor(ctx: Pick<DomainContext, "config" | "clock">, list: Notification[], audience: Audience): PreparedEmails {
  const now = ctx.clock.now();
  const rows = list.flatMap((n) => outboxRowsFor(ctx, n, audience, now));
  return { statements: outboxStatements(rows, now), messages: rows.map((r) => ({ type: "email.send" as const, outboxId: r.id, idempotencyKey: r.key })) };
}

export async function prepareNotification(ctx: DomainContext, n: Notification): Promise<PreparedEmails> {
  return prepareNotifications(ctx, [n]);
}

/** After commit: hand the messages to the queue. A failure here is repaired by the cron relay, never lost. */
export async function dispatchEmails(ctx: Pick<DomainContext, "emailQueue">, messages: EmailMessage[]): Promise<void> {
  if (messages.length === 0) return;
  try {
    // Queues accept at most 100 messages per sendBatch.
    for (let i = 0; i < messages.length; i += 100) {
      await ctx.emailQueue.sendBatch(messages.slice(i, i + 100).map((body) => ({ body })));
    }
  } catch (err) {
    console.error("[cumulus] email enqueue failed; the outbox relay will retry:", err);
  }
}
