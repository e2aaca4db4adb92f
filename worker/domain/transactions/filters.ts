import { and, eq, notInArray, or, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import { IsoDate } from "../../contract/catalogue";
import { PageQuerySchema } from "../../contract/schemas";
import { BOOKKEEPING_KINDS, LEDGER_KINDS } from "../../contract/wallet";
import { invoices, ledgerTransactions } from "../../db/schema";
import { contains } from "../../db/search";
import type { ActorContext } from "../context";
import { ownedByVisibleOrg } from "../tenancy";

const FilterShape = z.object({
    orgId: z.string().max(64).optional(),
    kind: z.enum(LEDGER_KINDS).optional(),
    direction: z.enum(["in", "out", "none"]).optional(),
    /** Calendar dates, UTC, both inclusive. */
    from: IsoDate.optional(),
    to: IsoDate.optional(),
    q: z.string().trim().max(100).optional(),
    /** Show invoice issue/cancel postings (bookkeeping, no money moved); hidden by default. */
    bookkeeping: z.enum(["true", "false"]).optional().transform((v) => v === "true"),
});
const datesInOrder = (v: { from?: string; to?: string }, ctx: z.RefinementCtx) => {
  if (v.from && v.to && v.to < v.from) ctx.addIssue({ code: "custom", path: ["to"], message: "The end date is before the start date." });
};
export const TransactionFilterInput = FilterShape.superRefine(datesInOrder);
export type TransactionFilterInput = z.input<typeof TransactionFilterInput>;
export type TransactionFilter = z.output<typeof TransactionFilterInput>;

export const ListTransactionsInput = PageQuerySchema.extend(FilterShape.shape).superRefine(datesInOrder);

/**
 * The direction money really moved. Issue and cancel postings move no money (ADR 011): they are `none` whatever
 * their row says (cancellations were posted as `out` before issue 8, and the ledger is append-only, so the rows
 * stay and the reading is corrected here). Totals, the chart, the direction filter and the CSV all use this.
 */
export const effectiveDirection = sql<"in" | "out" | "none">`(CASE WHEN ${ledgerTransactions.kind} IN (${sql.join(BOOKKEEPING_KINDS.map((k) => sql`${k}`), sql`, `)}) THEN 'none' ELSE ${ledgerTransactions.direction} END)`;
export const directionOf = (t: { kind: (typeof LEDGER_KINDS)[number]; direction: "in" | "out" | "none" }) => (BOOKKEEPING_KINDS.includes(t.kind) ? "none" : t.direction);

export const DAY_MS = 86_400_000;
export const dayStart = (date: string) => Date.parse(`${date}T00:00:00Z`);

/** The WHERE clause of a filter, always inside the caller's tenancy. */
export function transactionWhere(ctx: ActorContext, f: TransactionFilter): SQL | undefined {
  const explicitKind = f.kind !== undefined;
  return and(
    ownedByVisibleOrg(ctx, ledgerTransactions.orgId),
    f.orgId ? eq(ledgerTransactions.orgId, f.orgId) : undefined,
    f.kind ? eq(ledgerTransactions.kind, f.kind) : undefined,
    !explicitKind && !f.bookkeeping ? notInArray(ledgerTransactions.kind, [...BOOKKEEPING_KINDS]) : undefined,
    f.direction ? sql`${effectiveDirection} = ${f.direction}` : undefined,
    f.from ? sql`${ledgerTransactions.createdAt} >= ${dayStart(f.from)}` : undefined,
    f.to ? sql`${ledgerTransactions.createdAt} < ${dayStart(f.to) + DAY_MS}` : undefined,
    f.q ? or(contains(ledgerTransactions.reference, f.q), contains(ledgerTransactions.description, f.q), contains(invoices.number, f.q), eq(ledgerTransactions.id, f.q)) : undefined,
  );
}
