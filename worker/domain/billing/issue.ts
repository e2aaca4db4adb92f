/**
 * Issuing an invoice: ONE `atomically` batch builds it as a draft (invoice, lines, frozen taxes), issues it
 * (status unpaid + the next gapless number of its series, the series advanced in the same batch), posts it to
 * the ledger, optionally records an offline payment ("Paid" manual invoices), advances the subscription's
 * `billed_through`, writes the audit row when a person did it, and queues the `invoice.issued` email in the
 * outbox. The queue message is sent after commit.
 *
 * Numbering: the number is read before the batch and the batch only issues with it if the series still stands
 * there (`… WHERE next_number = ?`); otherwise the number is NULL and the trigger `invoices_number_on_issue`
 * aborts the whole batch, and we retry with the new number. So numbers are gapless and unique (D1 has one
 * writer and a batch is one transaction), and the email carries the number the invoice really got.
 * A second invoice for the same (subscription, period) fails the unique key and aborts the batch: reported as
 * `created: false`, nothing written.
 */
import { eq } from "drizzle-orm";
import { computeInvoiceWithRules, type ComputedWithRules, type RuleRate } from "../../contract/billing";
import { currency } from "../../contract/currencies";
import { formatDecimal, formatMoney, toSafeNumber, type Decimal } from "../../contract/money";
import { atomically, rawStatement, type RawStatement } from "../../db/atomic";
import { newId } from "../../db/ids";
import { invoiceLines, invoiceNumberSeries, invoiceTaxes, organizations } from "../../db/schema";
import { notFound } from "../../errors";
import { auditStatement } from "../audit/record";
import type { DomainContext } from "../context";
import { dispatchEmails, formatDate, prepareNotification } from "../email/notify";
import { invoiceIssuedPosting, postingStatements } from "../ledger/post";
import { applicableTaxRules } from "../tax/applicable";
import { BUYER_SNAPSHOT_SQL, SELLER_SNAPSHOT_SQL } from "../invoices/parties";
import { settingsRow, type SettingsRow } from "./settings";
import type { EmailMessage } from "../../queues/messages";

export interface DraftLine {
  description: string;
  productId?: string | null;
  resourceId?: string | null;
  quantity: Decimal;
  unit: string;
  unitPrice: Decimal;
  taxable: boolean;
  periodFrom?: string | null;
  periodTo?: string | null;
  /** The consumption behind a usage charge: shown on the invoice page and the PDF. */
  usageDetails?: Array<{ date: string; quantity: string; resource: string | null }> | null;
}

export interface InvoiceDraft {
  orgId: string;
  subscriptionId: string | null;
  subscriptionName?: string | null;
  contractId: string | null;
  kind: "subscription" | "manual";
  issueDate: string;
  dueDate: string;
  /** Inclusive dates. */
  periodFrom: string;
  periodTo: string;
  billingRunId?: string | null;
  lines: DraftLine[];
}

export interface IssueOptions {
  settings?: SettingsRow;
  /** The billed organization's country and tax exemption (an exempt organization is billed without tax). */
  org?: { country: string; taxExemptReason: string | null };
  rules?: RuleRate[];
  /** "Paid" manual invoice: an offline payment recorded in the same batch. */
  markPaid?: { reference: string; description: string };
  /** Billing run: advance the subscription's billed_through (exclusive end) in the same batch. */
  advanceSubscriptionTo?: string;
  /** Write an audit row (a person issued it). */
  audit?: boolean;
  /** Dispatch the email after commit (the billing run collects messages and sends them per page). */
  dispatch?: boolean;
  /** Next number per series as last seen by this caller (the billing run keeps it across a page): saves the read. */
  numberHints?: Map<string, number>;
  /** Called with the computed amounts before anything is written; throwing stops the issue (manual invoices ask for confirmations). */
  beforeIssue?: (computed: ComputedWithRules) => void;
}

export interface IssueResult {
  created: boolean;
  id: string;
  number: string | null;
  totalMinor: number;
  messages: EmailMessage[];
}

const MAX_NUMBER_ATTEMPTS = 200;

export const isDuplicatePeriod = (err: unknown) => /UNIQUE constraint failed: invoices\.subscription_id/.test(String(err));
const isNumberRace = (err: unknown) => /an issued invoice needs its number|UNIQUE constraint failed: invoices\.number/.test(String(err));

export function seriesFor(prefix: string, issueDate: string): string {
  return `${prefix}-${issueDate.slice(0, 4)}`;
}

export const formatNumber = (series: string, n: number) => `${series}-${String(n).padStart(6, "0")}`;

export async function issueInvoice(ctx: DomainContext, draft: InvoiceDraft, opts: IssueOptions = {}): Promise<IssueResult> {
  const settings = opts.settings ?? (await settingsRow(ctx.db));
  const E = currency(settings.currency).exponent;
  const P = settings.precision;
  const org = opts.org ?? (await ctx.db.select({ country: organizations.country, taxExemptReason: organizations.taxExemptReason }).from(organizations).where(eq(organizations.id, draft.orgId)).get());
  if (!org) throw notFound("Organization");
  // Exemption is frozen on the invoice with the (then empty) tax lines, like the rates of a taxed invoice.
  const rules = org.taxExemptReason ? [] : (opts.rules ?? (await applicableTaxRules(ctx.db, org.country, draft.issueDate)));
  const computed = computeInvoiceWithRules({ precision: P, exponent: E, lines: draft.lines, rules });
  opts.beforeIssue?.(computed);
  const subtotalMinor = toSafeNumber(computed.subtotalMinor);
  const taxMinor = toSafeNumber(computed.taxMinor);
  const totalMinor = toSafeNumber(computed.totalMinor);

  const now = ctx.clock.now();
  const id = newId("invoice", now);
  const series = seriesFor(settings.invoicePrefix, draft.issueDate);
  const money = (m: number) => formatMoney(m, settings.currency, E);

  // Everything that does not depend on the number.
  const body: RawStatement[] = [
    rawStatement(`INSERT INTO invoice_number_series (series, next_number) VALUES (?, 1) ON CONFLICT (series) DO NOTHING`, [series]),
    rawStatement(
      `INSERT INTO invoices (id, org_id, subscription_id, contract_id, kind, number, series, status, payment_state, issue_date, due_date, period_from, period_to,
         currency, precision, rounding_rule, subtotal_minor, tax_minor, total_minor, amount_paid_minor, billing_run_id, created_at, updated_at,
         seller, buyer, tax_exempt_reason)
       VALUES (?, ?, ?, ?, ?, NULL, NULL, 'draft', 'none', ?, ?, ?, ?, ?, ?, 'v1-half-up-per-rate', ?, ?, ?, 0, ?, ?, ?,
         ${SELLER_SNAPSHOT_SQL}, ${BUYER_SNAPSHOT_SQL}, ?)`,
      [id, draft.orgId, draft.subscriptionId, draft.contractId, draft.kind, draft.issueDate, draft.dueDate, draft.periodFrom, draft.periodTo,
        settings.currency, P, subtotalMinor, taxMinor, totalMinor, draft.billingRunId ?? null, now, now, draft.orgId, org.taxExemptReason ?? null],
    ),
    ...draft.lines.map((l, i) =>
      ctx.db.insert(invoiceLines).values({
        id: newId("invoiceLine", now), invoiceId: id, position: i + 1, description: l.description, productId: l.productId ?? null, resourceId: l.resourceId ?? null,
        quantityValue: toSafeNumber(l.quantity.value), quantityScale: l.quantity.scale, unit: l.unit,
        unitPriceValue: toSafeNumber(l.unitPrice.value), unitPriceScale: l.unitPrice.scale,
        netP: toSafeNumber(computed.lines[i]!.netP), netMinor: toSafeNumber(computed.lines[i]!.netMinor), taxable: l.taxable,
        periodFrom: l.periodFrom ?? null, periodTo: l.periodTo ?? null, usageDetails: l.usageDetails ? JSON.stringify(l.usageDetails) : null,
      }),
    ),
    ...computed.ruleTaxes.map((t) =>
      ctx.db.insert(invoiceTaxes).values({
        invoiceId: id, ruleId: t.ruleId, ruleVersionId: t.ruleVersionId, ruleName: t.ruleName, ratePpm: t.ratePpm,
        taxableP: toSafeNumber(t.taxableP), taxMinor: toSafeNumber(t.taxMinor),
      }),
    ),
  ];
  const after: RawStatement[] = [
    ...postingStatements(ctx, invoiceIssuedPosting({ id, orgId: draft.orgId, currency: settings.currency, subtotalMinor, taxMinor, totalMinor })).statements,
  ];
  if (opts.markPaid) {
    after.push(
      rawStatement(`UPDATE invoices SET status = 'paid', amount_paid_minor = total_minor, paid_at = ?, updated_at = ? WHERE id = ? AND status = 'unpaid'`, [now, now, id]),
      ...postingStatements(ctx, offlinePaymentPosting({ id, orgId: draft.orgId, currency: settings.currency, amountMinor: totalMinor, ...opts.markPaid })).statements,
    );
  }
  if (opts.advanceSubscriptionTo && draft.subscriptionId) {
    after.push(
      rawStatement(
        `UPDATE resource_subscriptions SET billed_through = ?, updated_at = ? WHERE id = ? AND (billed_through IS NULL OR billed_through < ?)`,
        [opts.advanceSubscriptionTo, now, draft.subscriptionId, opts.advanceSubscriptionTo],
      ),
    );
  }

  // The email is prepared once with a placeholder for the number, filled in per attempt (a lost numbering race
  // then costs one read and one batch, not a new recipient lookup).
  const placeholder = `@@invoice-number:${id}@@`;
  const mail = await prepareNotification(ctx, {
    event: "invoice.issued",
    orgId: draft.orgId,
    to: { primaryContactOf: draft.orgId },
    idempotencyKey: `invoice.issued:${id}`,
    tags: {
      "invoice.number": placeholder,
      "invoice.issue_date": formatDate(Date.parse(draft.issueDate)),
      "invoice.due_date": formatDate(Date.parse(draft.dueDate)),
      "invoice.period_from": formatDate(Date.parse(draft.periodFrom)),
      "invoice.period_to": formatDate(Date.parse(draft.periodTo)),
      "invoice.subtotal": money(subtotalMinor),
      "invoice.tax": money(taxMinor),
      "invoice.total": money(totalMinor),
      "invoice.amount_due": money(opts.markPaid ? 0 : totalMinor),
      "invoice.url": `${ctx.config.PUBLIC_ORIGIN.replace(/\/$/, "")}/billing/invoices/${id}`,
      "subscription.name": draft.subscriptionName ?? "",
    },
    attachments: [{ kind: "invoice_pdf", ref: id }],
  });
  const withNumber = (st: RawStatement, number: string): RawStatement => {
    const q = st.toSQL();
    return rawStatement(q.sql, q.params.map((p) => (typeof p === "string" ? p.split(placeholder).join(number) : p)));
  };

  for (let attempt = 0; attempt < MAX_NUMBER_ATTEMPTS; attempt++) {
    const hinted = attempt === 0 ? opts.numberHints?.get(series) : undefined;
    const next = hinted ?? (await ctx.db.select({ n: invoiceNumberSeries.nextNumber }).from(invoiceNumberSeries).where(eq(invoiceNumberSeries.series, series)).get())?.n ?? 1;
    const number = formatNumber(series, next);
    const issue: RawStatement[] = [
      rawStatement(
        `UPDATE invoices SET status = 'unpaid', series = ?, issued_at = ?, updated_at = ?,
           number = (SELECT ? FROM invoice_number_series WHERE series = ? AND next_number = ?)
         WHERE id = ? AND status = 'draft'`,
        [series, now, now, number, series, next, id],
      ),
      rawStatement(`UPDATE invoice_number_series SET next_number = next_number + 1 WHERE series = ? AND next_number = ?`, [series, next]),
    ];
    const audit = opts.audit
      ? [auditStatement(ctx, {
          action: "invoice.created", orgId: draft.orgId, targetType: "invoice", targetId: id,
          after: { number, kind: draft.kind, status: opts.markPaid ? "paid" : "unpaid", total: money(totalMinor), issueDate: draft.issueDate, dueDate: draft.dueDate },
        })]
      : [];
    try {
      await atomically(ctx.db, [...body, ...issue, ...after, ...audit, ...mail.statements.map((st) => withNumber(st, number))]);
    } catch (err) {
      if (isDuplicatePeriod(err)) return { created: false, id, number: null, totalMinor, messages: [] };
      if (isNumberRace(err)) continue;
      throw err;
    }
    opts.numberHints?.set(series, next + 1);
    if (opts.dispatch !== false) await dispatchEmails(ctx, mail.messages);
    return { created: true, id, number, totalMinor, messages: mail.messages };
  }
  throw new Error(`Could not allocate an invoice number in series ${series} after ${MAX_NUMBER_ATTEMPTS} attempts`);
}

/** An offline payment settles what is still due on an invoice: cash in, receivable down. */
export function offlinePaymentPosting(p: { id: string; orgId: string; currency: string; amountMinor: number; reference: string; description: string }) {
  return {
    orgId: p.orgId, kind: "offline_payment" as const, direction: "in" as const, amountMinor: p.amountMinor, currency: p.currency, invoiceId: p.id,
    reference: p.reference, description: p.description || "Offline payment", idempotencyKey: `offline_payment:${p.id}`,
    entries: [
      { account: "cash" as const, amountMinor: p.amountMinor },
      { account: "receivable" as const, amountMinor: -p.amountMinor },
    ],
  };
}

export const decimalText = (value: number, scale: number) => formatDecimal({ value: BigInt(value), scale });
