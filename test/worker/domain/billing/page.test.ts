/**
 * The set-based billing page (docs/decisions/014-billing-run-set-based.md): a page of 1,000 subscriptions is
 * read in one batch and written in one, within production D1's limits; usage beyond the page's memory budget
 * ends the page early without losing or repeating anything; a page that loses a race to another run writes
 * nothing (no invoice, no number, no cursor move) and the retry finds the period billed.
 *
 * Runs are as of 2030 (see run.test.ts). Pages are positioned on this file's subscriptions by setting
 * the run's cursor just below them; subscription ids sort by creation time.
 */
import { env } from "cloudflare:workers";
import { eq, inArray, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { createDb } from "../../../../worker/db/client";
import { newId } from "../../../../worker/db/ids";
import { billingRuns, invoices, resourceSubscriptions } from "../../../../worker/db/schema";
import { billPage } from "../../../../worker/domain/billing/bill-page";
import { loadPage } from "../../../../worker/domain/billing/page";
import { createBillingRun, getBillingRun, PAGE_SIZE, processBillingPage } from "../../../../worker/domain/billing/run";
import { addUsage, billedCustomer, billingCtx, createProduct, uniqueCountry } from "../../../billing-fixtures";
import { D1_LIMITS, limitCheckingD1 } from "../../../d1-limits";
import { db } from "../../../factories";

/** The run's cursor just below `subId`, so its next page starts there. */
async function startRunAt(asOf: string, subId: string, ctx = billingCtx()) {
  const run = await createBillingRun(ctx, { trigger: "manual", asOf });
  const below = await db().get<{ id: string | null }>(sql`SELECT max(id) AS id FROM resource_subscriptions WHERE id < ${subId}`);
  await db().update(billingRuns).set({ cursor: below?.id ?? null }).where(eq(billingRuns.id, run.id));
  return run;
}

/** `n` more fixed-fee subscriptions on the contract of `base`, inserted set-based (ids in creation order). */
async function moreSubscriptions(base: { sub: { orgId: string; contractId: string } }, n: number, anchor: string) {
  const now = Date.now();
  const rows = Array.from({ length: n }, (_, i) => [newId("subscription", now), base.sub.orgId, base.sub.contractId, `Bulk ${i}`, "fixed", "month", anchor, "live", now, now]);
  await env.DB.prepare(
    `INSERT INTO resource_subscriptions (id, org_id, contract_id, name, model, billing_interval, anchor_date, status, created_at, updated_at)
     SELECT j.value->>0, j.value->>1, j.value->>2, j.value->>3, j.value->>4, j.value->>5, j.value->>6, j.value->>7, j.value->>8, j.value->>9 FROM json_each(?1) j`,
  ).bind(JSON.stringify(rows)).run();
  return rows.map((r) => r[0] as string).sort();
}

describe("a page of subscriptions", () => {
  it("1,000 subscriptions: one batch to read, one to write, every statement within D1's limits", async () => {
    const fee = await createProduct({ price: [1999, 2] });
    const base = await billedCustomer({ country: uniqueCountry(), productIds: [fee.id], anchor: "2031-03-01" });
    const ids = await moreSubscriptions(base, PAGE_SIZE + 100, "2031-03-01");
    const limits = limitCheckingD1(env.DB);
    const ctx = { ...billingCtx(), db: createDb(limits.d1) };
    const run = await startRunAt("2031-03-05", [base.sub.id, ...ids].sort()[0]!, ctx);
    limits.reset();
    ctx.clock.advance(500); // the page "takes" half a second
    expect(await processBillingPage(ctx, run.id)).toEqual({ more: true });
    expect(limits.usage.violations).toEqual([]);
    expect(limits.usage.roundTrips).toBe(2);
    expect(limits.usage.statements).toBeLessThan(60);
    expect(limits.usage.statements).toBeLessThanOrEqual(D1_LIMITS.queriesPerInvocation);
    expect(limits.usage.maxParams).toBeLessThanOrEqual(10);
    expect(limits.usage.maxValueBytes).toBeLessThan(D1_LIMITS.valueBytes);
    const after = (await db().select().from(billingRuns).where(eq(billingRuns.id, run.id)).get())!;
    expect(after.processedSubscriptions).toBe(PAGE_SIZE);
    expect(after.invoicesCreated).toBeGreaterThanOrEqual(PAGE_SIZE - 1);
    // The run page's rate: invoices over the time from the run's start to its last page.
    expect((await getBillingRun({ ctx, id: run.id })).invoicesPerSecond).toBe(Math.round((after.invoicesCreated * 1000) / 500));
    // The page's invoices carry consecutive numbers.
    const numbers = (await db().select({ number: invoices.number }).from(invoices).where(eq(invoices.billingRunId, run.id))).map((r) => Number(r.number!.slice(-6))).sort((a, b) => a - b);
    expect(numbers[numbers.length - 1]! - numbers[0]!).toBe(numbers.length - 1);
  }, 120_000);

  it("usage beyond the page's budget ends the page early; a subscription over it alone is its own page", async () => {
    const cpu = await createProduct({ model: "payg", unit: "vCPU-hour", price: [100, 2], name: "Compute" });
    const a = await billedCustomer({ country: uniqueCountry(), productIds: [cpu.id], model: "payg", anchor: "2030-09-01" });
    const b = await billedCustomer({ country: uniqueCountry(), productIds: [cpu.id], model: "payg", anchor: "2030-09-01" });
    const [first, second] = [a, b].sort((x, y) => (x.sub.id < y.sub.id ? -1 : 1)) as [typeof a, typeof b];
    for (const day of ["03", "04", "05"]) await addUsage(first.sub, cpu.id, first.resource.id, `2030-09-${day}`, [1, 0]);
    for (const day of ["06", "07", "08", "09"]) await addUsage(second.sub, cpu.id, second.resource.id, `2030-09-${day}`, [2, 0]);
    const ctx = billingCtx();
    // Budget 5 rows: the first subscription's 3 fit, the second's 4 would not: the page ends after the first.
    const run = await startRunAt("2030-10-05", first.sub.id);
    const page = await loadPage(ctx, run.id, { subscriptions: 2, usageRows: 5 });
    expect(page.subs.map((s) => s.id)).toEqual([first.sub.id]);
    expect(page.more).toBe(true);
    // Budget 2 rows: the first subscription alone exceeds it, so it is read in full as a page of one.
    const alone = await loadPage(ctx, run.id, { subscriptions: 2, usageRows: 2 });
    expect(alone.subs.map((s) => s.id)).toEqual([first.sub.id]);
    expect(alone.usageBySub.get(first.sub.id)).toHaveLength(3);
    // Billing with the small budget still bills both, each once, with all their usage.
    await processBillingPage(ctx, run.id, { subscriptions: 2, usageRows: 2 });
    await processBillingPage(ctx, run.id, { subscriptions: 1, usageRows: 2 });
    const billed = await db().select().from(invoices).where(inArray(invoices.subscriptionId, [first.sub.id, second.sub.id]));
    expect(billed.map((i) => [i.subscriptionId, i.subtotalMinor]).sort()).toEqual([[first.sub.id, 300], [second.sub.id, 800]].sort());
  });

  it("a page that loses a race to another run writes nothing, and its retry finds the period billed", async () => {
    const fee = await createProduct({ price: [700, 2] });
    const { sub } = await billedCustomer({ country: uniqueCountry(), productIds: [fee.id], anchor: "2030-11-01" });
    const ctx = billingCtx();
    const slow = await startRunAt("2030-11-22", sub.id);
    const fast = await startRunAt("2030-11-22", sub.id);
    const stale = await loadPage(ctx, slow.id, { subscriptions: 1 });
    const fresh = await loadPage(ctx, fast.id, { subscriptions: 1 });
    expect(await billPage(ctx, { ...fresh, run: fresh.run! })).toMatchObject({ invoices: 1 });
    const series = await env.DB.prepare("SELECT next_number AS n FROM invoice_number_series WHERE series = 'INV-2030'").first<{ n: number }>();
    // The slow page read the same number and period: its whole batch aborts.
    expect(await billPage(ctx, { ...stale, run: stale.run! })).toBeNull();
    expect((await env.DB.prepare("SELECT next_number AS n FROM invoice_number_series WHERE series = 'INV-2030'").first<{ n: number }>())!.n).toBeGreaterThanOrEqual(series!.n);
    expect((await db().select().from(billingRuns).where(eq(billingRuns.id, slow.id)).get())!.cursor).toBe(stale.run!.cursor);
    expect(await db().select().from(invoices).where(eq(invoices.subscriptionId, sub.id))).toHaveLength(1);
    // The retry re-reads: billed_through has moved, nothing is due, the cursor moves on.
    await processBillingPage(ctx, slow.id, 1);
    expect(await db().select().from(invoices).where(eq(invoices.subscriptionId, sub.id))).toHaveLength(1);
    expect((await db().select().from(billingRuns).where(eq(billingRuns.id, slow.id)).get())!.cursor).toBe(sub.id);
    const subRow = (await db().select().from(resourceSubscriptions).where(eq(resourceSubscriptions.id, sub.id)).get())!;
    expect(subRow.billedThrough).toBe("2030-12-01");
  });
});
