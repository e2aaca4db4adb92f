/**
 * "Export CSV": every invoice matching the filter, streamed in keyset pages of (issue date, id) so memory stays
 * flat however many invoices match. RFC 4180 and formula-injection safety come from the shared writer
 * (domain/export/csv.ts).
 */
import { and, desc, eq, sql } from "drizzle-orm";
import type { InvoiceFilter } from "../../contract/billing";
import { currency } from "../../contract/currencies";
import { formatDecimal } from "../../contract/money";
import { invoices, organizations } from "../../db/schema";
import type { ActorContext } from "../context";
import { csvStream } from "../export/csv";
import { invoiceWhere, summaryColumns, taxRatesText } from "./read";

export const CSV_PAGE = 500;

export const CSV_HEADER = ["Invoice Number", "Organization", "Organization Type", "Status", "Issue Date", "Due Date", "Period From", "Period To",
  "Currency", "Subtotal", "Tax", "Total", "Amount Paid", "Tax Rate %"];

const STATUS = { draft: "Draft", unpaid: "Unpaid", paid: "Paid", cancelled: "Cancelled" } as const;
const KIND = { operator: "Operator", reseller: "Reseller", customer: "Customer" } as const;

export function exportInvoicesCsv(args: { ctx: ActorContext; filter: InvoiceFilter }): ReadableStream<Uint8Array> {
  const { ctx, filter } = args;
  return csvStream(
    CSV_HEADER,
    (after: { issueDate: string; id: string } | undefined) => {
      const keyset = after ? sql`(${invoices.issueDate} < ${after.issueDate} OR (${invoices.issueDate} = ${after.issueDate} AND ${invoices.id} < ${after.id}))` : undefined;
      return ctx.db.select(summaryColumns).from(invoices).innerJoin(organizations, eq(organizations.id, invoices.orgId))
        .where(and(invoiceWhere(ctx, filter), keyset)).orderBy(desc(invoices.issueDate), desc(invoices.id)).limit(CSV_PAGE);
    },
    (r) => {
      const E = currency(r.currency).exponent;
      const m = (v: number) => formatDecimal({ value: BigInt(v), scale: E }, E);
      return [r.number ?? "", r.orgName, KIND[r.orgKind], STATUS[r.status], r.issueDate, r.dueDate, r.periodFrom, r.periodTo, r.currency,
        m(r.subtotalMinor), m(r.taxMinor), m(r.totalMinor), m(r.amountPaidMinor), taxRatesText(r.taxRatesPpm)];
    },
  );
}
