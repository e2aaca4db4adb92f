/**
 * "Export CSV": every invoice matching the filter, streamed. Rows are read in keyset pages of (issue date, id)
 * and written to a ReadableStream as they come, so memory stays flat however many invoices match.
 * RFC 4180: CRLF line ends; a field with a comma, quote, CR or LF is quoted with quotes doubled.
 * Spreadsheet formula injection: a cell starting with = + - @ TAB or CR is prefixed with ' (OWASP).
 */
import { and, desc, eq, sql } from "drizzle-orm";
import type { InvoiceFilter } from "../../contract/billing";
import { currency } from "../../contract/currencies";
import { formatDecimal, ppmToPercent } from "../../contract/money";
import { invoices, organizations } from "../../db/schema";
import type { ActorContext } from "../context";
import { invoiceWhere, summaryColumns } from "./read";

export const CSV_PAGE = 500;

export function csvCell(value: string): string {
  let v = value;
  if (/^[=+\-@\t\r]/.test(v)) v = `'${v}`;
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

export const csvRow = (cells: string[]) => `${cells.map(csvCell).join(",")}\r\n`;

export const CSV_HEADER = ["Invoice Number", "Organization", "Organization Type", "Status", "Issue Date", "Due Date", "Period From", "Period To",
  "Currency", "Subtotal", "Tax", "Total", "Amount Paid", "Tax Rate %"];

const STATUS = { draft: "Draft", unpaid: "Unpaid", paid: "Paid", cancelled: "Cancelled" } as const;
const KIND = { operator: "Operator", reseller: "Reseller", customer: "Customer" } as const;

export function exportInvoicesCsv(args: { ctx: ActorContext; filter: InvoiceFilter }): ReadableStream<Uint8Array> {
  const { ctx, filter } = args;
  const encoder = new TextEncoder();
  let after: { issueDate: string; id: string } | null = null;
  let headerSent = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        if (!headerSent) {
          headerSent = true;
          controller.enqueue(encoder.encode(`\uFEFF${csvRow(CSV_HEADER)}`));
          return;
        }
        const keyset = after ? sql`(${invoices.issueDate} < ${after.issueDate} OR (${invoices.issueDate} = ${after.issueDate} AND ${invoices.id} < ${after.id}))` : undefined;
        const rows = await ctx.db.select(summaryColumns).from(invoices).innerJoin(organizations, eq(organizations.id, invoices.orgId))
          .where(and(invoiceWhere(ctx, filter), keyset)).orderBy(desc(invoices.issueDate), desc(invoices.id)).limit(CSV_PAGE);
        if (rows.length === 0) {
          controller.close();
          return;
        }
        let chunk = "";
        for (const r of rows) {
          const E = currency(r.currency).exponent;
          const m = (v: number) => formatDecimal({ value: BigInt(v), scale: E }, E);
          chunk += csvRow([r.number ?? "", r.orgName, KIND[r.orgKind], STATUS[r.status], r.issueDate, r.dueDate, r.periodFrom, r.periodTo, r.currency,
            m(r.subtotalMinor), m(r.taxMinor), m(r.totalMinor), m(r.amountPaidMinor), ppmToPercent(Number(r.taxRatePpm))]);
        }
        const last = rows[rows.length - 1]!;
        after = { issueDate: last.issueDate, id: last.id };
        controller.enqueue(encoder.encode(chunk));
        if (rows.length < CSV_PAGE) controller.close();
      } catch (err) {
        controller.error(err);
      }
    },
  });
}
