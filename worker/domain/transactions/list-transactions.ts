import { and, desc, eq, lt, or, sql } from "drizzle-orm";
import type { Transaction, TransactionPage } from "../../contract/wallet";
import { paymentIdOfPosting } from "../ledger/payment-key";
import { invoices, ledgerTransactions, organizations, users } from "../../db/schema";
import type { ActorContext } from "../context";
import { offsetOf } from "../paging";
import { isOperator } from "../tenancy";
import { getBillingCurrency } from "../wallet/currency";
import { DAY_MS, dayStart, directionOf, effectiveDirection, ListTransactionsInput, TransactionFilterInput, transactionWhere, type TransactionFilter } from "./filters";

export function transactionQuery(ctx: ActorContext) {
  return ctx.db
    .select({
      t: ledgerTransactions,
      orgName: organizations.name,
      invoiceNumber: invoices.number,
      actorFirst: users.firstName,
      actorLast: users.lastName,
    })
    .from(ledgerTransactions)
    .innerJoin(organizations, eq(organizations.id, ledgerTransactions.orgId))
    .leftJoin(invoices, eq(invoices.id, ledgerTransactions.invoiceId))
    .leftJoin(users, eq(users.id, ledgerTransactions.actorUserId));
}
type Row = Awaited<ReturnType<ReturnType<typeof transactionQuery>["all"]>>[number];

export function toTransaction(ctx: ActorContext, r: Row): Transaction {
  return {
    id: r.t.id,
    org: { id: r.t.orgId, name: r.orgName },
    kind: r.t.kind,
    direction: directionOf(r.t),
    amountMinor: r.t.amountMinor,
    currency: r.t.currency,
    status: r.t.status,
    invoiceId: r.t.invoiceId,
    invoiceNumber: r.invoiceNumber ?? null,
    gateway: r.t.gateway,
    reference: r.t.reference,
    description: r.t.description,
    // Which operator staff member acted is the operator's business; tenants see "Cumulus".
    actor: r.actorFirst ? (isOperator(ctx) ? `${r.actorFirst} ${r.actorLast}` : "Operator") : r.t.actorUserId ? null : "System",
    createdAt: new Date(r.t.createdAt).toISOString(),
    paymentId: r.t.kind === "card_payment" || r.t.kind === "wallet_payment" ? paymentIdOfPosting(r.t.idempotencyKey) : null,
  };
}

/** Keyset page for exports: newest first, strictly after the last row of the previous page. */
export async function transactionsAfter(ctx: ActorContext, f: TransactionFilter, after: { createdAt: number; id: string } | undefined, limit: number) {
  const rows = await transactionQuery(ctx)
    .where(
      and(
        transactionWhere(ctx, f),
        after ? or(lt(ledgerTransactions.createdAt, after.createdAt), and(eq(ledgerTransactions.createdAt, after.createdAt), lt(ledgerTransactions.id, after.id))) : undefined,
      ),
    )
    .orderBy(desc(ledgerTransactions.createdAt), desc(ledgerTransactions.id))
    .limit(limit);
  return rows;
}

function monthsBetween(first: string, last: string): string[] {
  const out: string[] = [];
  let [y, m] = first.split("-").map(Number) as [number, number];
  const [ly, lm] = last.split("-").map(Number) as [number, number];
  while (y < ly || (y === ly && m <= lm)) {
    out.push(`${y}-${String(m).padStart(2, "0")}`);
    m++;
    if (m === 13) {
      m = 1;
      y++;
    }
  }
  return out;
}

/** Transaction Logs: a page of transactions plus totals and the chart series over the WHOLE filter. */
export async function listTransactions(args: { ctx: ActorContext; input: unknown }): Promise<TransactionPage> {
  const input = ListTransactionsInput.parse(args.input);
  const filter = TransactionFilterInput.parse(args.input);
  const { ctx } = args;
  const where = transactionWhere(ctx, filter);
  const cur = await getBillingCurrency(ctx.db);
  const bucket: "day" | "month" = filter.from && filter.to && dayStart(filter.to) - dayStart(filter.from) <= 62 * DAY_MS ? "day" : "month";
  const fmt = bucket === "day" ? "%Y-%m-%d" : "%Y-%m";
  const completedIn = sql`CASE WHEN ${ledgerTransactions.status} = 'completed' AND ${effectiveDirection} = 'in' THEN ${ledgerTransactions.amountMinor} ELSE 0 END`;
  const completedOut = sql`CASE WHEN ${ledgerTransactions.status} = 'completed' AND ${effectiveDirection} = 'out' THEN ${ledgerTransactions.amountMinor} ELSE 0 END`;
  const label = sql<string>`strftime(${fmt}, ${ledgerTransactions.createdAt} / 1000, 'unixepoch')`;
  const [rows, totals, series] = await Promise.all([
    transactionQuery(ctx).where(where).orderBy(desc(ledgerTransactions.createdAt), desc(ledgerTransactions.id)).limit(input.pageSize).offset(offsetOf(input)),
    ctx.db
      .select({ n: sql<number>`COUNT(*)`, income: sql<number>`COALESCE(SUM(${completedIn}), 0)`, expenses: sql<number>`COALESCE(SUM(${completedOut}), 0)` })
      .from(ledgerTransactions)
      .leftJoin(invoices, eq(invoices.id, ledgerTransactions.invoiceId))
      .where(where),
    ctx.db
      .select({ label, income: sql<number>`COALESCE(SUM(${completedIn}), 0)`, expenses: sql<number>`COALESCE(SUM(${completedOut}), 0)` })
      .from(ledgerTransactions)
      .leftJoin(invoices, eq(invoices.id, ledgerTransactions.invoiceId))
      .where(where)
      .groupBy(label)
      .orderBy(label),
  ]);
  const byLabel = new Map(series.map((s) => [s.label, s]));
  let labels: string[] = series.map((s) => s.label);
  if (bucket === "day" && filter.from && filter.to) {
    labels = [];
    for (let t = dayStart(filter.from); t <= dayStart(filter.to); t += DAY_MS) labels.push(new Date(t).toISOString().slice(0, 10));
  } else if (labels.length > 0) {
    const first = filter.from ? filter.from.slice(0, 7) : labels[0]!;
    const last = filter.to ? filter.to.slice(0, 7) : labels[labels.length - 1]!;
    labels = monthsBetween(first < labels[0]! ? first : labels[0]!, last > labels[labels.length - 1]! ? last : labels[labels.length - 1]!).slice(-120);
  }
  const t = totals[0];
  const income = Number(t?.income ?? 0);
  const expenses = Number(t?.expenses ?? 0);
  return {
    items: rows.map((r) => toTransaction(ctx, r)),
    page: input.page,
    pageSize: input.pageSize,
    total: Number(t?.n ?? 0),
    currency: cur.code,
    exponent: cur.exponent,
    totals: { incomeMinor: income, expensesMinor: expenses, netMinor: income - expenses },
    series: {
      bucket,
      points: labels.map((l) => ({ label: l, incomeMinor: Number(byLabel.get(l)?.income ?? 0), expensesMinor: Number(byLabel.get(l)?.expenses ?? 0) })),
    },
  };
}
