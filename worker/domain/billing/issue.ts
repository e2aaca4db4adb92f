/**
 * Issuing one invoice (manual invoices; the billing run issues a page at a time with the same steps, run.ts).
 * The four named steps of `issuing/` — draft → number → post → notify — then ONE `atomically` batch: the
 * invoice with its lines and frozen taxes, its number (the series moved from exactly the number read), the
 * ledger posting, an offline payment for a "Paid" invoice, the audit row when a person did it, and the
 * `invoice.issued` email in the outbox; the queue message is sent after commit.
 *
 * Numbering race: another invoice took the number read → the batch aborts (nothing written, no number used)
 * and the number step runs again. The draft and the email's recipients are kept across attempts.
 */
import { eq } from "drizzle-orm";
import type { ComputedWithRules, RuleRate } from "../../contract/billing";
import { currency } from "../../contract/currencies";
import { formatDecimal, formatMoney } from "../../contract/money";
import { atomically, isGuardAbort, type RawStatement } from "../../db/atomic";
import { organizations } from "../../db/schema";
import { notFound } from "../../errors";
import { auditStatement } from "../audit/record";
import type { DomainContext } from "../context";
import { enqueueCollection } from "./issuing/collect";
import { dispatchEmails, loadAudience, outboxFor, wantedBy, type PreparedEmails } from "../email/notify";
import { applicableTaxRules } from "../tax/applicable";
import type { EmailMessage } from "../../contract/messages";
import { draftInvoice, type InvoiceDraft, type Pricing } from "./issuing/draft";
import { nextNumber, numberInvoices, reserveNumbersStatements, seriesFor, type NumberedInvoice } from "./issuing/number";
import { invoiceIssuedNotification } from "./issuing/notify";
import { postInvoices, type OfflinePayment } from "./issuing/post";
import { issueStatements } from "./issuing/write";
import { settingsRow, type SettingsRow } from "./settings";

export type { DraftLine, InvoiceDraft } from "./issuing/draft";
export { formatNumber, seriesFor } from "./issuing/number";
export { offlinePaymentPosting } from "./issuing/post";

export interface IssueOptions {
  settings?: SettingsRow;
  /** The billed organization's country and tax exemption (an exempt organization is billed without tax). */
  org?: { country: string; taxExemptReason: string | null };
  rules?: RuleRate[];
  /** "Paid" manual invoice: an offline payment recorded in the same batch. */
  markPaid?: OfflinePayment;
  /** Write an audit row (a person issued it). */
  audit?: boolean;
  /** Dispatch the email after commit (default true). */
  dispatch?: boolean;
  /** Called with the computed amounts before anything is written; throwing stops the issue (manual invoices ask for confirmations). */
  beforeIssue?: (computed: Pick<ComputedWithRules, "subtotalMinor" | "taxMinor" | "totalMinor">) => void;
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
/** The series moved (guard) or the number is taken (unique index): someone else issued in between. */
const isNumberRace = (err: unknown) => isGuardAbort(err) || /UNIQUE constraint failed: invoices\.number/.test(String(err));

async function pricingFor(ctx: DomainContext, orgId: string, issueDate: string, opts: IssueOptions): Promise<Pricing & { prefix: string }> {
  const settings = opts.settings ?? (await settingsRow(ctx.db));
  const org = opts.org ?? (await ctx.db.select({ country: organizations.country, taxExemptReason: organizations.taxExemptReason }).from(organizations).where(eq(organizations.id, orgId)).get());
  if (!org) throw notFound("Organization");
  const rules = org.taxExemptReason ? [] : (opts.rules ?? (await applicableTaxRules(ctx.db, org.country, issueDate)));
  return {
    currency: settings.currency, exponent: currency(settings.currency).exponent, precision: settings.precision, rules,
    taxExemptReason: org.taxExemptReason ?? null, prefix: settings.invoicePrefix,
  };
}

function issueBatch(ctx: DomainContext, inv: NumberedInvoice, first: number, mail: PreparedEmails, opts: IssueOptions): RawStatement[] {
  const now = ctx.clock.now();
  const paid = opts.markPaid ? new Map([[inv.id, opts.markPaid]]) : undefined;
  const d = inv.input;
  const audit = opts.audit
    ? [auditStatement(ctx, {
        action: "invoice.created", orgId: d.orgId, targetType: "invoice", targetId: inv.id,
        after: { number: inv.number, kind: d.kind, status: paid ? "paid" : "unpaid", total: formatMoney(inv.totalMinor, inv.currency, currency(inv.currency).exponent), issueDate: d.issueDate, dueDate: d.dueDate },
      })]
    : [];
  return [
    ...reserveNumbersStatements(inv.series, first, 1),
    ...issueStatements([inv], now, paid ? [inv.id] : []),
    ...postInvoices(ctx, [inv], paid),
    ...audit,
    ...mail.statements,
  ];
}

export async function issueInvoice(ctx: DomainContext, input: InvoiceDraft, opts: IssueOptions = {}): Promise<IssueResult> {
  const pricing = await pricingFor(ctx, input.orgId, input.issueDate, opts);
  const draft = draftInvoice(input, pricing, ctx.clock.now());
  opts.beforeIssue?.({ subtotalMinor: BigInt(draft.subtotalMinor), taxMinor: BigInt(draft.taxMinor), totalMinor: BigInt(draft.totalMinor) });
  const series = seriesFor(pricing.prefix, input.issueDate);
  const audience = await loadAudience(ctx, wantedBy([{ event: "invoice.issued", orgId: input.orgId, to: { primaryContactOf: input.orgId }, tags: {}, idempotencyKey: "" }]));
  for (let attempt = 0; attempt < MAX_NUMBER_ATTEMPTS; attempt++) {
    const first = await nextNumber(ctx.db, series);
    const [inv] = numberInvoices([draft], series, first) as [NumberedInvoice];
    const mail = outboxFor(ctx, [invoiceIssuedNotification(ctx.config, inv, !!opts.markPaid)], audience);
    try {
      await atomically(ctx.db, issueBatch(ctx, inv, first, mail, opts));
    } catch (err) {
      if (isDuplicatePeriod(err)) return { created: false, id: inv.id, number: null, totalMinor: inv.totalMinor, messages: [] };
      if (isNumberRace(err)) continue;
      throw err;
    }
    if (opts.dispatch !== false) await dispatchEmails(ctx, mail.messages);
    if (!opts.markPaid) await enqueueCollection(ctx, [inv.id]);
    return { created: true, id: inv.id, number: inv.number, totalMinor: inv.totalMinor, messages: mail.messages };
  }
  throw new Error(`Could not allocate an invoice number in series ${series} after ${MAX_NUMBER_ATTEMPTS} attempts`);
}

export const decimalText = (value: number, scale: number) => formatDecimal({ value: BigInt(value), scale });
