/**
 * "Email Log": every outbox row, newest first, with filters (status, type, address/subject search) and
 * pagination; one message's rendered content. The content of mail carrying a single-use link (account
 * activation, email change confirmation) is withheld: staff must not be able to use another person's link.
 */
import { and, desc, eq, or } from "drizzle-orm";
import type { Page } from "../../contract/dto";
import { ListEmailLogInput, type EmailLogDetail, type EmailLogItem } from "../../contract/email-dto";
import { eventDef } from "../../contract/email-events";
import { emailOutbox, organizations } from "../../db/schema";
import { contains } from "../../db/search";
import { notFound } from "../../errors";
import type { ActorContext } from "../context";
import { filteredPage } from "../paging";

/** Outbox rows with the name of the organization they were sent for (none for staff mail). */
function outboxQuery(ctx: ActorContext) {
  return ctx.db.select({ row: emailOutbox, orgName: organizations.name }).from(emailOutbox).leftJoin(organizations, eq(organizations.id, emailOutbox.orgId));
}
type Row = Awaited<ReturnType<ReturnType<typeof outboxQuery>["all"]>>[number];

const WITHHELD = ["account.created", "email.change_confirmation"];

function item({ row: r, orgName }: Row): EmailLogItem {
  return {
    id: r.id,
    event: r.event,
    label: eventDef(r.event)?.label ?? r.event,
    copyKind: r.copyKind,
    to: r.toAddress,
    toName: r.toName,
    subject: r.subject,
    status: r.status,
    attempts: r.attempts,
    lastError: r.lastError,
    org: r.orgId && orgName ? { id: r.orgId, name: orgName } : null,
    createdAt: new Date(r.createdAt).toISOString(),
    sentAt: r.sentAt ? new Date(r.sentAt).toISOString() : null,
  };
}

export async function listEmailLog(args: { ctx: ActorContext; input: ListEmailLogInput }): Promise<Page<EmailLogItem>> {
  const input = ListEmailLogInput.parse(args.input);
  const where = and(
    input.status ? eq(emailOutbox.status, input.status) : undefined,
    input.event ? eq(emailOutbox.event, input.event) : undefined,
    input.q ? or(contains(emailOutbox.toAddress, input.q), contains(emailOutbox.subject, input.q), contains(emailOutbox.id, input.q)) : undefined,
  );
  const rows = outboxQuery(args.ctx).$dynamic();
  return filteredPage(args.ctx.db, input, { table: emailOutbox, rows, where, order: [desc(emailOutbox.createdAt), desc(emailOutbox.id)] }, item);
}

export async function getEmailLog(args: { ctx: ActorContext; id: string }): Promise<EmailLogDetail> {
  const found = await outboxQuery(args.ctx).where(eq(emailOutbox.id, args.id)).get();
  if (!found) throw notFound("Email");
  const { row } = found;
  const withheld = WITHHELD.includes(row.event);
  const note = "Content withheld: this email carries a single-use link meant only for its recipient.";
  return {
    ...item(found),
    html: withheld ? (row.html === null ? null : `<p>${note}</p>`) : row.html,
    text: withheld ? (row.text === null ? null : note) : row.text,
    messageId: row.messageId,
    resentFrom: row.idempotencyKey.startsWith("resend:") ? (row.idempotencyKey.split(":")[1] ?? null) : null,
  };
}
