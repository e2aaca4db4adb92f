import { eq } from "drizzle-orm";
import { currency } from "../../contract/currencies";
import { formatMoney } from "../../contract/money";
import { atomically } from "../../db/atomic";
import { organizations, users } from "../../db/schema";
import { DomainError } from "../../errors";
import { auditStatement } from "../audit/record";
import type { ActorContext } from "../context";
import { dispatchEmails, formatDate, prepareNotification } from "../email/notify";
import { getInvoice } from "./read";

const STATUS_LABEL = { draft: "Draft", unpaid: "Unpaid", paid: "Paid", cancelled: "Cancelled" } as const;

/**
 * "Resend Invoice": emails the invoice, its PDF attached (rendered at send time), to the registered address
 * of the organization's primary contact, through the outbox. Audited in the same batch.
 */
export async function resendInvoice(args: { ctx: ActorContext; id: string }): Promise<{ sentTo: string }> {
  const { ctx, id } = args;
  const inv = await getInvoice({ ctx, id });
  const org = await ctx.db.select({ primaryUserId: organizations.primaryUserId }).from(organizations).where(eq(organizations.id, inv.org.id)).get();
  const now = ctx.clock.now();
  const money = (m: number) => formatMoney(m, inv.currency, currency(inv.currency).exponent);
  const mail = org?.primaryUserId
    ? await prepareNotification(ctx, {
        event: "invoice.resent", orgId: inv.org.id, to: { primaryContactOf: inv.org.id }, idempotencyKey: `invoice.resent:${id}:${now}`,
        tags: {
          "invoice.number": inv.number ?? "", "invoice.issue_date": formatDate(Date.parse(inv.issueDate)), "invoice.due_date": formatDate(Date.parse(inv.dueDate)),
          "invoice.period_from": formatDate(Date.parse(inv.periodFrom)), "invoice.period_to": formatDate(Date.parse(inv.periodTo)),
          "invoice.subtotal": money(inv.subtotalMinor), "invoice.tax": money(inv.taxMinor), "invoice.total": money(inv.totalMinor),
          "invoice.amount_due": money(inv.status === "unpaid" ? inv.totalMinor - inv.amountPaidMinor : 0),
          "invoice.url": `${ctx.config.PUBLIC_ORIGIN.replace(/\/$/, "")}/billing/invoices/${id}`, "subscription.name": inv.subscription?.name ?? "",
          "invoice.status": STATUS_LABEL[inv.status],
        },
        attachments: [{ kind: "invoice_pdf", ref: id }],
      })
    : null;
  if (!mail || mail.statements.length === 0) {
    throw new DomainError("NO_PRIMARY_CONTACT", "This organization has no primary contact to send the invoice to. Set one on the organization first.");
  }
  const to = (await ctx.db.select({ email: users.email }).from(users).where(eq(users.id, org!.primaryUserId!)).get())?.email ?? "";
  await atomically(ctx.db, [
    ...mail.statements,
    auditStatement(ctx, { action: "invoice.resent", orgId: inv.org.id, targetType: "invoice", targetId: id, after: { number: inv.number, to } }),
  ]);
  await dispatchEmails(ctx, mail.messages);
  return { sentTo: to };
}
