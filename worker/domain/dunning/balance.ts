/**
 * What the invoices say about an organization, read fresh from D1 every time the case moves (the "last check"
 * before Termination included): the due instant of the oldest unpaid invoice and the amount overdue.
 * An invoice is overdue from the start of the day after its due date (UTC), so "due today" is never dunned.
 */
import { and, asc, eq, sql } from "drizzle-orm";
import type { AppDb } from "../../db/client";
import { invoices } from "../../db/schema";
import { DAY_MS } from "./policy";

export interface OrgBalance {
  /** Instant the oldest unpaid invoice became overdue (null: nothing unpaid). */
  oldestUnpaidDueAt: number | null;
  amountOverdueMinor: number;
  currency: string | null;
}

/** The instant an invoice due on `day` (`YYYY-MM-DD`) becomes overdue. */
export const overdueFrom = (day: string): number => Date.parse(`${day}T00:00:00Z`) + DAY_MS;

export async function orgBalance(db: AppDb, orgId: string, now: number): Promise<OrgBalance> {
  const rows = await db
    .select({ dueDate: invoices.dueDate, owed: sql<number>`${invoices.totalMinor} - ${invoices.amountPaidMinor}`, currency: invoices.currency })
    .from(invoices)
    .where(and(eq(invoices.orgId, orgId), eq(invoices.status, "unpaid")))
    .orderBy(asc(invoices.dueDate))
    .all();
  if (!rows.length) return { oldestUnpaidDueAt: null, amountOverdueMinor: 0, currency: null };
  const overdue = rows.filter((r) => overdueFrom(r.dueDate) <= now);
  return {
    oldestUnpaidDueAt: overdueFrom(rows[0]!.dueDate),
    amountOverdueMinor: overdue.reduce((s, r) => s + r.owed, 0),
    currency: rows[0]!.currency,
  };
}
