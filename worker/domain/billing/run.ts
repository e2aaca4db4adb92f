/**
 * The billing run (docs/decisions/010-billing-run.md, 014-billing-run-set-based.md). A run is a row in
 * `billing_runs` walked in pages of subscriptions in id order; each page is one queue message (`cumulus-billing`)
 * whose handler reads the page in one batch, bills it in memory and writes it — invoices and the run's cursor
 * together — in one batch, then enqueues the next page. A redelivered or concurrent copy of a page finds the
 * cursor moved and writes nothing. A crash leaves the cursor at the last page written; the cron resumes runs
 * whose heartbeat is stale.
 *
 * Limits per page (one invocation): ~15 statements to read and ~15 to write whatever the page size, each
 * binding at most ~10 parameters (rows travel as one JSON value of at most 600,000 characters; D1 allows 2 MB),
 * so far below D1's 1,000 queries per invocation and 100 parameters per statement.
 */
import { count, desc, eq, and, lt, sql } from "drizzle-orm";
import type { BillingRun } from "../../contract/billing";
import { atomically } from "../../db/atomic";
import { newId } from "../../db/ids";
import { billingRuns, resourceSubscriptions } from "../../db/schema";
import { notFound } from "../../errors";
import { auditStatement } from "../audit/record";
import type { ActorContext, DomainContext } from "../context";
import { dispatchEmails } from "../email/notify";
import { billPage } from "./bill-page";
import { enqueueCollection } from "./issuing/collect";
import { isoDate } from "./dates";
import { loadPage, type PageSize } from "./page";

/** Subscriptions per page (one queue message, one invocation): measured in docs/decisions/014. */
export const PAGE_SIZE = 1000;
/** A running run without progress for this long is resumed by the cron. */
export const STALE_AFTER_MS = 10 * 60_000;

type RunRow = typeof billingRuns.$inferSelect;

/** Invoices per second from the run's start to its last page (its end, or its latest heartbeat while running). */
function invoicesPerSecond(r: RunRow): number | null {
  const elapsedMs = (r.finishedAt ?? r.heartbeatAt ?? r.startedAt) - r.startedAt;
  return r.invoicesCreated > 0 && elapsedMs > 0 ? Math.round((r.invoicesCreated * 1000) / elapsedMs) : null;
}

export function toRunDto(r: RunRow): BillingRun {
  return {
    id: r.id, asOf: r.asOf, trigger: r.trigger, status: r.status, totalSubscriptions: r.totalSubscriptions, processedSubscriptions: r.processedSubscriptions,
    invoicesCreated: r.invoicesCreated, invoicesPerSecond: invoicesPerSecond(r), error: r.error, startedAt: new Date(r.startedAt).toISOString(),
    finishedAt: r.finishedAt ? new Date(r.finishedAt).toISOString() : null,
  };
}

/** Creates a run (status running, cursor at the start). The caller enqueues its first page or runs it inline. */
export async function createBillingRun(ctx: DomainContext, opts: { trigger: "cron" | "manual"; asOf?: string }): Promise<RunRow> {
  const now = ctx.clock.now();
  const asOf = opts.asOf ?? isoDate(now);
  const total = (await ctx.db.select({ n: count() }).from(resourceSubscriptions).where(sql`${resourceSubscriptions.status} NOT IN ('cancelled', 'terminated')`).get())?.n ?? 0;
  const row: RunRow = {
    id: newId("billingRun", now), asOf, trigger: opts.trigger, triggeredBy: ctx.principal?.userId ?? null, status: "running", totalSubscriptions: total,
    processedSubscriptions: 0, invoicesCreated: 0, cursor: null, error: null, startedAt: now, finishedAt: null, heartbeatAt: now,
  };
  await atomically(ctx.db, [
    ctx.db.insert(billingRuns).values(row),
    ...(ctx.principal ? [auditStatement(ctx, { action: "billing.run.started", orgId: null, targetType: "billing_run", targetId: row.id, after: { asOf, subscriptions: total } })] : []),
  ]);
  return row;
}

/** A page that keeps losing races (another run billing the same subscriptions) is retried by the queue. */
const MAX_PAGE_ATTEMPTS = 8;

/** Bills one page of a run. Returns whether the run still has pages to go (and this call owns the next one). */
export async function processBillingPage(ctx: DomainContext, runId: string, pageSize: number | PageSize = PAGE_SIZE): Promise<{ more: boolean }> {
  const size = typeof pageSize === "number" ? { subscriptions: pageSize } : pageSize;
  let startedAt: string | null | undefined;
  for (let attempt = 0; attempt < MAX_PAGE_ATTEMPTS; attempt++) {
    const page = await loadPage(ctx, runId, size);
    const { run } = page;
    if (!run || run.status !== "running") return { more: false };
    // The cursor moved since our first read: someone else billed this page and owns the next one.
    if (startedAt !== undefined && run.cursor !== startedAt) return { more: false };
    startedAt = run.cursor;
    const outcome = await billPage(ctx, { ...page, run });
    if (!outcome) continue;
    await dispatchEmails(ctx, outcome.messages);
    await enqueueCollection(ctx, outcome.invoiceIds);
    return { more: page.more };
  }
  throw new Error(`Billing run ${runId}: the page after ${startedAt ?? "the start"} lost ${MAX_PAGE_ATTEMPTS} races in a row`);
}

/** Runs every page in this invocation (tests, the bench, small installs). */
export async function runBillingInline(ctx: DomainContext, runId: string, pageSize = PAGE_SIZE): Promise<void> {
  for (;;) {
    const { more } = await processBillingPage(ctx, runId, pageSize);
    if (!more) return;
  }
}

export async function markRunFailed(ctx: Pick<DomainContext, "db" | "clock">, runId: string, error: string): Promise<void> {
  await ctx.db.update(billingRuns).set({ status: "failed", error: error.slice(0, 500), finishedAt: ctx.clock.now() }).where(and(eq(billingRuns.id, runId), eq(billingRuns.status, "running")));
}

/** "Run billing now": a manual run through the queue. */
export async function startBillingRun(args: { ctx: ActorContext; asOf?: string }): Promise<BillingRun> {
  const run = await createBillingRun(args.ctx, { trigger: "manual", ...(args.asOf ? { asOf: args.asOf } : {}) });
  await args.ctx.billingQueue.send({ type: "billing.page", runId: run.id });
  return toRunDto(run);
}

/** Cron: one run per day, and resume any run whose pages stopped (crash, lost message). */
export async function cronBilling(ctx: DomainContext): Promise<void> {
  const now = ctx.clock.now();
  const today = isoDate(now);
  const stale = await ctx.db.select().from(billingRuns).where(and(eq(billingRuns.status, "running"), lt(billingRuns.heartbeatAt, now - STALE_AFTER_MS)));
  for (const r of stale) await ctx.billingQueue.send({ type: "billing.page", runId: r.id });
  const todays = await ctx.db.select({ id: billingRuns.id }).from(billingRuns).where(and(eq(billingRuns.asOf, today), eq(billingRuns.trigger, "cron"))).get();
  if (todays) return;
  const run = await createBillingRun(ctx, { trigger: "cron", asOf: today });
  await ctx.billingQueue.send({ type: "billing.page", runId: run.id });
}

export async function listBillingRuns(args: { ctx: Pick<DomainContext, "db"> }): Promise<BillingRun[]> {
  return (await args.ctx.db.select().from(billingRuns).orderBy(desc(billingRuns.startedAt)).limit(10)).map(toRunDto);
}

export async function getBillingRun(args: { ctx: Pick<DomainContext, "db">; id: string }): Promise<BillingRun> {
  const r = await args.ctx.db.select().from(billingRuns).where(eq(billingRuns.id, args.id)).get();
  if (!r) throw notFound("Billing run");
  return toRunDto(r);
}
