/**
 * The billing run (docs/decisions/010-billing-run.md). A run is a row in `billing_runs` walked in pages of
 * subscriptions in id order; each page is one queue message (`cumulus-billing`) whose handler bills the page,
 * moves the cursor with a compare-and-set (a redelivered or concurrent page is a no-op) and enqueues the next
 * page. A crash leaves the cursor at the last finished page; the cron resumes runs whose heartbeat is stale.
 *
 * Limits: a page is PAGE_SIZE subscriptions; billing one costs ~8-14 queries (reads, the number read, the
 * email recipient, one batch), so a page stays far below D1's 1,000 queries per invocation; no statement
 * binds more than ~25 parameters (limit 100).
 */
import { and, count, desc, eq, inArray, lt, sql } from "drizzle-orm";
import type { BillingRun } from "../../contract/billing";
import { atomically, rawStatement } from "../../db/atomic";
import { newId } from "../../db/ids";
import { billingRuns, contracts, organizations, resourceSubscriptions } from "../../db/schema";
import { notFound } from "../../errors";
import type { BillingMessage } from "../../queues/messages";
import { auditStatement } from "../audit/record";
import type { ActorContext, DomainContext } from "../context";
import { dispatchEmails } from "../email/notify";
import { applicableTaxRulesByCountry } from "../tax/applicable";
import { billableSubscriptionsPage, billSubscription, type PageCache } from "./bill-subscription";
import { isoDate } from "./dates";
import { settingsRow } from "./settings";

export const PAGE_SIZE = 25;
/** A running run without progress for this long is resumed by the cron. */
export const STALE_AFTER_MS = 10 * 60_000;

export interface BillingQueueCtx {
  billingQueue: Queue<BillingMessage>;
}

type RunRow = typeof billingRuns.$inferSelect;

export function toRunDto(r: RunRow): BillingRun {
  return {
    id: r.id, asOf: r.asOf, trigger: r.trigger, status: r.status, totalSubscriptions: r.totalSubscriptions, processedSubscriptions: r.processedSubscriptions,
    invoicesCreated: r.invoicesCreated, error: r.error, startedAt: new Date(r.startedAt).toISOString(), finishedAt: r.finishedAt ? new Date(r.finishedAt).toISOString() : null,
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

/** Bills one page of a run. Returns whether the run still has pages to go (and this call owns the next one). */
export async function processBillingPage(ctx: DomainContext, runId: string, pageSize = PAGE_SIZE): Promise<{ more: boolean }> {
  const run = await ctx.db.select().from(billingRuns).where(eq(billingRuns.id, runId)).get();
  if (!run || run.status !== "running") return { more: false };
  const subs = await billableSubscriptionsPage(ctx.db, run.cursor, pageSize);
  const orgIds = [...new Set(subs.map((s) => s.orgId))];
  const orgCountry = new Map<string, { country: string; taxExemptReason: string | null }>();
  for (let i = 0; i < orgIds.length; i += 90) {
    for (const o of await ctx.db.select({ id: organizations.id, country: organizations.country, taxExemptReason: organizations.taxExemptReason }).from(organizations).where(inArray(organizations.id, orgIds.slice(i, i + 90)))) {
      orgCountry.set(o.id, { country: o.country, taxExemptReason: o.taxExemptReason });
    }
  }
  const contractIds = [...new Set(subs.map((s) => s.contractId))];
  const contractRows = new Map<string, typeof contracts.$inferSelect>();
  for (let i = 0; i < contractIds.length; i += 90) {
    for (const c of await ctx.db.select().from(contracts).where(inArray(contracts.id, contractIds.slice(i, i + 90)))) contractRows.set(c.id, c);
  }
  const cache: PageCache = {
    settings: await settingsRow(ctx.db),
    rulesByCountry: await applicableTaxRulesByCountry(ctx.db, run.asOf),
    orgCountry,
    planProducts: new Map(),
    contracts: contractRows,
    numberHints: new Map(),
  };
  let invoices = 0;
  const messages = [];
  for (const sub of subs) {
    const r = await billSubscription(ctx, sub, run.asOf, cache, run.id);
    invoices += r.invoices;
    messages.push(...r.messages);
  }
  await dispatchEmails(ctx, messages);
  const last = subs.length ? subs[subs.length - 1]!.id : run.cursor;
  const finished = subs.length < pageSize;
  const now = ctx.clock.now();
  const [moved] = await atomically(ctx.db, [
    rawStatement(
      `UPDATE billing_runs SET cursor = ?, processed_subscriptions = processed_subscriptions + ?, invoices_created = invoices_created + ?, heartbeat_at = ?,
         status = CASE WHEN ? THEN 'completed' ELSE status END, finished_at = CASE WHEN ? THEN ? ELSE finished_at END
       WHERE id = ? AND status = 'running' AND cursor IS ?`,
      [last, subs.length, invoices, now, finished ? 1 : 0, finished ? 1 : 0, now, run.id, run.cursor],
    ),
  ]);
  // Someone else finished this page first (redelivery, concurrent resume): they own what comes next.
  if (!moved?.meta.changes) return { more: false };
  return { more: !finished };
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
export async function startBillingRun(args: { ctx: ActorContext & BillingQueueCtx; asOf?: string }): Promise<BillingRun> {
  const run = await createBillingRun(args.ctx, { trigger: "manual", ...(args.asOf ? { asOf: args.asOf } : {}) });
  await args.ctx.billingQueue.send({ type: "billing.page", runId: run.id });
  return toRunDto(run);
}

/** Cron: one run per day, and resume any run whose pages stopped (crash, lost message). */
export async function cronBilling(ctx: DomainContext & BillingQueueCtx): Promise<void> {
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
