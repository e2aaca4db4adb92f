/**
 * Issuing, step 2 of 4 — number (ADR 009/010, docs/decisions/014-billing-run-set-based.md). Numbers are
 * `<prefix>-<year of issue>-<000001>`, gapless per series. A caller reads the series' next number N once,
 * gives its k invoices N … N+k-1 in memory, and writes them in ONE batch that also moves the series from
 * exactly N to N+k (`reserveNumbersStatements`): if anyone else issued in that series meanwhile, the update
 * changes nothing, the guard after it aborts the whole batch (no invoice, no number used) and the caller
 * retries with a fresh read. `UNIQUE(number)` backs it. Because the numbers are known before the batch is
 * built, the emails are prepared with the numbers the invoices really get.
 */
import { eq } from "drizzle-orm";
import { abortUnlessChanged, rawStatement, type RawStatement } from "../../../db/atomic";
import type { AppDb } from "../../../db/client";
import { invoiceNumberSeries } from "../../../db/schema";
import type { DraftInvoice } from "./draft";

export interface NumberedInvoice extends DraftInvoice {
  series: string;
  number: string;
}

export const seriesFor = (prefix: string, issueDate: string) => `${prefix}-${issueDate.slice(0, 4)}`;

export const formatNumber = (series: string, n: number) => `${series}-${String(n).padStart(6, "0")}`;

/** The next free number of a series (1 for a series never used). */
export async function nextNumber(db: AppDb, series: string): Promise<number> {
  return (await db.select({ n: invoiceNumberSeries.nextNumber }).from(invoiceNumberSeries).where(eq(invoiceNumberSeries.series, series)).get())?.n ?? 1;
}

/** Gives `drafts` the consecutive numbers first, first+1, … of `series`, in order. */
export function numberInvoices(drafts: DraftInvoice[], series: string, first: number): NumberedInvoice[] {
  return drafts.map((d, i) => ({ ...d, series, number: formatNumber(series, first + i) }));
}

/** Moves the series from exactly `first` to `first + count` in the caller's batch, or aborts that batch. */
export function reserveNumbersStatements(series: string, first: number, count: number): RawStatement[] {
  if (count === 0) return [];
  return [
    rawStatement(`INSERT INTO invoice_number_series (series, next_number) VALUES (?, 1) ON CONFLICT (series) DO NOTHING`, [series]),
    rawStatement(`UPDATE invoice_number_series SET next_number = ? WHERE series = ? AND next_number = ?`, [first + count, series, first]),
    abortUnlessChanged(),
  ];
}
