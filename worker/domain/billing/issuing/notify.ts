/**
 * Issuing, step 4 of 4 — notify: the `invoice.issued` email to the organization's primary contact, with the
 * PDF attached by reference (rendered at send time). Built after step 2, so it carries the invoice's real
 * number; it goes into the outbox in the issuing batch and is queued after commit (email/notify.ts).
 */
import { currency } from "../../../contract/currencies";
import { formatMoney } from "../../../contract/money";
import type { Config } from "../../../env";
import { formatDate, type Notification } from "../../email/notify";
import type { NumberedInvoice } from "./number";

const day = (date: string) => formatDate(Date.parse(date));

/** The `invoice.*` tags of an invoice as people read them (dates, money with its currency). */
export function invoiceTags(config: Config, inv: { id: string; number: string | null; currency: string; issueDate: string; dueDate: string; periodFrom: string; periodTo: string;
  subtotalMinor: number; taxMinor: number; totalMinor: number; amountDueMinor: number; subscriptionName: string | null }): Record<string, string> {
  const exponent = currency(inv.currency).exponent;
  const money = (m: number) => formatMoney(m, inv.currency, exponent);
  return {
    "invoice.number": inv.number ?? "",
    "invoice.issue_date": day(inv.issueDate),
    "invoice.due_date": day(inv.dueDate),
    "invoice.period_from": day(inv.periodFrom),
    "invoice.period_to": day(inv.periodTo),
    "invoice.subtotal": money(inv.subtotalMinor),
    "invoice.tax": money(inv.taxMinor),
    "invoice.total": money(inv.totalMinor),
    "invoice.amount_due": money(inv.amountDueMinor),
    "invoice.url": `${config.PUBLIC_ORIGIN.replace(/\/$/, "")}/billing/invoices/${inv.id}`,
    "subscription.name": inv.subscriptionName ?? "",
  };
}

/** `paid`: the invoice was issued as paid (nothing due). */
export function invoiceIssuedNotification(config: Config, inv: NumberedInvoice, paid: boolean): Notification {
  const d = inv.input;
  return {
    event: "invoice.issued",
    orgId: d.orgId,
    to: { primaryContactOf: d.orgId },
    idempotencyKey: `invoice.issued:${inv.id}`,
    tags: invoiceTags(config, {
      id: inv.id, number: inv.number, currency: inv.currency, issueDate: d.issueDate, dueDate: d.dueDate, periodFrom: d.periodFrom, periodTo: d.periodTo,
      subtotalMinor: inv.subtotalMinor, taxMinor: inv.taxMinor, totalMinor: inv.totalMinor, amountDueMinor: paid ? 0 : inv.totalMinor,
      subscriptionName: d.subscriptionName ?? null,
    }),
    attachments: [{ kind: "invoice_pdf", ref: inv.id }],
  };
}
