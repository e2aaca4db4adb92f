/**
 * Reading invoices. Tenancy is structural: `visibleInvoice` answers NOT_FOUND for another tenant's invoice.
 * Drafts are never shown (an invoice is a draft only inside its issuing batch).
 */
import { and, asc, desc, eq, inArray, ne, sql, type SQL } from "drizzle-orm";
import type { InvoiceDetail, InvoiceFilter, InvoiceSummary, ListInvoicesInput } from "../../contract/billing";
import { currency } from "../../contract/currencies";
import { ppmToPercent, rescale } from "../../contract/money";
import type { Page } from "../../contract/dto";
import type { AppDb } from "../../db/client";
import { paymentIdOfPosting } from "../ledger/payment-key";
import { failedAttempts } from "./payment-attempts";
import { creditNotes, invoiceLines, invoices, invoiceTaxes, ledgerTransactions, organizations, resourceSubscriptions } from "../../db/schema";
import { notFound } from "../../errors";
import type { ActorContext } from "../context";
import { offsetOf } from "../paging";
import { ownedByVisibleOrg } from "../tenancy";
import { decimalText } from "../billing/issue";
import { parseParty, parseSeller } from "../billing/issuing/parties";

const taxRatePpm = sql<number>`(SELECT COALESCE(SUM(rate_ppm), 0) FROM invoice_taxes t WHERE t.invoice_id = ${invoices.id})`.as("tax_rate_ppm");
/** Each tax line's rate (ppm), comma-separated, or null without tax: exports list them one by one ("21 % + 10.5 %"). */
const taxRatesPpm = sql<string | null>`(SELECT group_concat(rate_ppm) FROM invoice_taxes t WHERE t.invoice_id = ${invoices.id})`.as("tax_rates_ppm");

export const summaryColumns = {
  id: invoices.id, number: invoices.number, kind: invoices.kind, status: invoices.status, currency: invoices.currency,
  subtotalMinor: invoices.subtotalMinor, taxMinor: invoices.taxMinor, totalMinor: invoices.totalMinor, amountPaidMinor: invoices.amountPaidMinor,
  issueDate: invoices.issueDate, dueDate: invoices.dueDate, periodFrom: invoices.periodFrom, periodTo: invoices.periodTo,
  orgId: organizations.id, orgName: organizations.name, orgKind: organizations.kind, taxRatePpm, taxRatesPpm,
};
type InvoiceRow = typeof invoices.$inferSelect;
interface SummaryRow extends Pick<InvoiceRow, "id" | "number" | "kind" | "status" | "currency" | "subtotalMinor" | "taxMinor" | "totalMinor" | "amountPaidMinor" | "issueDate" | "dueDate" | "periodFrom" | "periodTo"> {
  orgId: string;
  orgName: string;
  orgKind: "operator" | "reseller" | "customer";
  taxRatePpm: number;
  taxRatesPpm: string | null;
}

/** "21 % + 10.5 %" (highest first), "0 %" without tax: one rate per tax rule, never their sum. */
export function taxRatesText(ratesPpm: string | null): string {
  const rates = (ratesPpm ?? "").split(",").filter(Boolean).map(Number).sort((a, b) => b - a);
  return rates.length ? rates.map((r) => `${ppmToPercent(r)} %`).join(" + ") : "0 %";
}

export function toSummary(r: SummaryRow): InvoiceSummary {
  return {
    id: r.id, number: r.number, kind: r.kind, status: r.status, currency: r.currency, exponent: currency(r.currency).exponent,
    subtotalMinor: r.subtotalMinor, taxMinor: r.taxMinor, totalMinor: r.totalMinor, amountPaidMinor: r.amountPaidMinor,
    taxRatePercent: ppmToPercent(Number(r.taxRatePpm)), issueDate: r.issueDate, dueDate: r.dueDate, periodFrom: r.periodFrom, periodTo: r.periodTo,
    org: { id: r.orgId, name: r.orgName, kind: r.orgKind },
  };
}

export function invoiceWhere(ctx: ActorContext, f: InvoiceFilter): SQL | undefined {
  return and(
    ne(invoices.status, "draft"),
    ownedByVisibleOrg(ctx, invoices.orgId),
    f.q ? sql`instr(upper(${invoices.number}), upper(${f.q})) > 0` : undefined,
    f.orgId ? eq(invoices.orgId, f.orgId) : undefined,
    f.status ? eq(invoices.status, f.status) : undefined,
    f.from ? sql`${invoices.issueDate} >= ${f.from}` : undefined,
    f.to ? sql`${invoices.issueDate} <= ${f.to}` : undefined,
  );
}

export async function listInvoices(args: { ctx: ActorContext; input: ListInvoicesInput }): Promise<Page<InvoiceSummary>> {
  const { ctx, input } = args;
  const where = invoiceWhere(ctx, input);
  const [rows, total] = await Promise.all([
    ctx.db.select(summaryColumns).from(invoices).innerJoin(organizations, eq(organizations.id, invoices.orgId)).where(where)
      .orderBy(desc(invoices.issueDate), desc(invoices.id)).limit(input.pageSize).offset(offsetOf(input)),
    ctx.db.select({ n: sql<number>`count(*)` }).from(invoices).where(where).get(),
  ]);
  return { items: rows.map((r) => toSummary(r as SummaryRow)), page: input.page, pageSize: input.pageSize, total: Number(total?.n ?? 0) };
}

/** The whole invoice, no tenancy (PDF renderer, email); callers that serve people use `getInvoice`. */
export async function loadInvoice(db: AppDb, id: string): Promise<InvoiceDetail | null> {
  const row = await db.select({ ...summaryColumns, subscriptionId: invoices.subscriptionId, subscriptionName: resourceSubscriptions.name, contractId: invoices.contractId,
    precision: invoices.precision, roundingRule: invoices.roundingRule, issuedAt: invoices.issuedAt, paidAt: invoices.paidAt, cancelledAt: invoices.cancelledAt,
    seller: invoices.seller, buyer: invoices.buyer, taxExemptReason: invoices.taxExemptReason, orgCountry: organizations.country, orgCity: organizations.city })
    .from(invoices).innerJoin(organizations, eq(organizations.id, invoices.orgId)).leftJoin(resourceSubscriptions, eq(resourceSubscriptions.id, invoices.subscriptionId))
    .where(and(eq(invoices.id, id), ne(invoices.status, "draft"))).get();
  if (!row) return null;
  // A cancellation is not a payment: it shows as the credit note, not in the payment history.
  const [lines, taxes, payments, creditNote, attempts] = await Promise.all([
    db.select().from(invoiceLines).where(eq(invoiceLines.invoiceId, id)).orderBy(asc(invoiceLines.position)),
    db.select().from(invoiceTaxes).where(eq(invoiceTaxes.invoiceId, id)).orderBy(asc(invoiceTaxes.ruleName)),
    db.select().from(ledgerTransactions)
      .where(and(eq(ledgerTransactions.invoiceId, id), inArray(ledgerTransactions.kind, ["offline_payment", "card_payment", "wallet_payment", "refund"])))
      .orderBy(asc(ledgerTransactions.createdAt)),
    db.select({ id: creditNotes.id, number: creditNotes.number, issueDate: creditNotes.issueDate, reason: creditNotes.reason, totalMinor: creditNotes.totalMinor })
      .from(creditNotes).where(eq(creditNotes.invoiceId, id)).get(),
    failedAttempts(db, { id, orgId: row.orgId }),
  ]);
  const E = currency(row.currency).exponent;
  const toMinor = (p: number) => Number(rescale(BigInt(p), row.precision, E));
  return {
    ...toSummary(row as unknown as SummaryRow),
    subscription: row.subscriptionId ? { id: row.subscriptionId, name: row.subscriptionName ?? "" } : null,
    contractId: row.contractId, precision: row.precision, roundingRule: row.roundingRule,
    issuedAt: row.issuedAt ? new Date(row.issuedAt).toISOString() : null,
    paidAt: row.paidAt ? new Date(row.paidAt).toISOString() : null,
    cancelledAt: row.cancelledAt ? new Date(row.cancelledAt).toISOString() : null,
    lines: lines.map((l) => ({
      position: l.position, description: l.description, quantity: decimalText(l.quantityValue, l.quantityScale), unit: l.unit,
      unitPrice: decimalText(l.unitPriceValue, l.unitPriceScale), netMinor: l.netMinor, taxable: l.taxable, periodFrom: l.periodFrom, periodTo: l.periodTo,
      usage: l.usageDetails ? (JSON.parse(l.usageDetails) as Array<{ date: string; quantity: string; resource: string | null }>) : null,
    })),
    taxes: taxes.map((t) => ({ ruleName: t.ruleName, ratePercent: ppmToPercent(t.ratePpm), taxableMinor: toMinor(t.taxableP), taxMinor: t.taxMinor })),
    payments: payments.map((p) => ({ id: p.id, kind: p.kind, amountMinor: p.amountMinor, reference: p.reference, description: p.description, at: new Date(p.createdAt).toISOString(), paymentId: paymentIdOfPosting(p.idempotencyKey) })),
    failedAttempts: attempts,
    seller: parseSeller(row.seller),
    // Invoices issued before buyer snapshots existed show the organization's name and country.
    buyer: parseParty(row.buyer) ?? { name: row.orgName, line1: null, line2: null, postalCode: null, city: row.orgCity, region: null, country: row.orgCountry, taxId: null },
    taxExemptReason: row.taxExemptReason,
    creditNote: creditNote ?? null,
  };
}

export async function getInvoice(args: { ctx: ActorContext; id: string }): Promise<InvoiceDetail> {
  const { ctx, id } = args;
  const visible = await ctx.db.select({ id: invoices.id }).from(invoices).where(and(eq(invoices.id, id), ne(invoices.status, "draft"), ownedByVisibleOrg(ctx, invoices.orgId))).get();
  const detail = visible ? await loadInvoice(ctx.db, id) : null;
  if (!detail) throw notFound("Invoice");
  return detail;
}
