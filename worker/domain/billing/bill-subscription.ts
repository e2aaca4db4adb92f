/**
 * Bills one Resource Subscription up to a date (docs/decisions/010-billing-run.md):
 * - periods repeat from the anchor by the subscription's interval; each is [start, end) and is billed once:
 *   fixed fees IN ADVANCE (due once the period has started: start ≤ as-of), pay-as-you-go usage IN ARREARS
 *   (due once it has ended: end ≤ as-of), from the usage records dated inside it;
 * - trials: a period that starts before `trial_ends_at` is free: no invoice, usage in it is not charged;
 * - no period is billed from the contract's expiry date on; cancelled/terminated subscriptions are not billed;
 * - a period with nothing to charge advances `billed_through` without an invoice;
 * - at most MAX_PERIODS_PER_PASS periods per subscription per pass (catch-up continues in the next run).
 * Each invoice is its own batch with the unique (subscription, period) key, so overlapping runs are safe.
 */
import { and, eq, gt, sql } from "drizzle-orm";
import type { RuleRate } from "../../contract/billing";
import { formatDecimal, rescale, type Decimal } from "../../contract/money";
import { atomically, rawStatement } from "../../db/atomic";
import type { AppDb } from "../../db/client";
import { contracts, planProducts, products, resourceSubscriptions } from "../../db/schema";
import type { DomainContext } from "../context";
import type { EmailMessage } from "../../queues/messages";
import { addDays, fixedQuantity, periodAt, periodIndexOf, type Interval } from "./dates";
import { issueInvoice, type DraftLine } from "./issue";
import type { SettingsRow } from "./settings";

export const MAX_PERIODS_PER_PASS = 12;

export type SubscriptionRow = typeof resourceSubscriptions.$inferSelect;

export interface PageCache {
  settings: SettingsRow;
  rulesByCountry: Map<string, RuleRate[]>;
  /** Per billed organization: its country (tax rules) and tax exemption (billed without tax). */
  orgCountry: Map<string, { country: string; taxExemptReason: string | null }>;
  planProducts: Map<string, Array<typeof products.$inferSelect>>;
  contracts: Map<string, typeof contracts.$inferSelect>;
  /** Next invoice number per series, carried from one invoice of the page to the next. */
  numberHints: Map<string, number>;
}

async function fixedProductsOf(db: AppDb, cache: PageCache, planId: string) {
  let list = cache.planProducts.get(planId);
  if (!list) {
    list = (await db.select({ p: products }).from(planProducts).innerJoin(products, eq(products.id, planProducts.productId)).where(eq(planProducts.planId, planId)))
      .map((r) => r.p)
      .filter((p) => p.model === "fixed" && p.status === "active")
      .sort((a, b) => a.name.localeCompare(b.name));
    cache.planProducts.set(planId, list);
  }
  return list;
}

async function usageLines(db: AppDb, sub: SubscriptionRow, start: string, end: string): Promise<DraftLine[]> {
  const rows = await db.all<{ product_id: string; name: string; unit: string; price_amount: number; price_scale: number; taxable: number; usage_date: string; resource: string | null; qv: number; qs: number }>(sql`
    SELECT u.product_id, p.name, p.unit, p.price_amount, p.price_scale, p.taxable, u.usage_date, r.name AS resource, u.quantity_value AS qv, u.quantity_scale AS qs
    FROM usage_records u JOIN products p ON p.id = u.product_id LEFT JOIN resources r ON r.id = u.resource_id
    WHERE u.subscription_id = ${sub.id} AND u.usage_date >= ${start} AND u.usage_date < ${end}
    ORDER BY p.name, u.product_id, u.usage_date, r.name`);
  const byProduct = new Map<string, typeof rows>();
  for (const r of rows) byProduct.set(r.product_id, [...(byProduct.get(r.product_id) ?? []), r]);
  const lines: DraftLine[] = [];
  for (const [productId, list] of byProduct) {
    const scale = Math.max(...list.map((r) => r.qs));
    const total = list.reduce((a, r) => a + rescale(BigInt(r.qv), r.qs, scale), 0n);
    // The consumption behind the charge, per day and resource.
    const detail = new Map<string, { date: string; resource: string | null; q: bigint }>();
    for (const r of list) {
      const key = `${r.usage_date}|${r.resource ?? ""}`;
      const d = detail.get(key) ?? { date: r.usage_date, resource: r.resource, q: 0n };
      d.q += rescale(BigInt(r.qv), r.qs, scale);
      detail.set(key, d);
    }
    const first = list[0]!;
    if (total === 0n) continue;
    lines.push({
      description: first.name, productId, unit: first.unit, taxable: !!first.taxable,
      quantity: { value: total, scale } satisfies Decimal,
      unitPrice: { value: BigInt(first.price_amount), scale: first.price_scale },
      periodFrom: start, periodTo: addDays(end, -1),
      usageDetails: [...detail.values()].map((d) => ({ date: d.date, quantity: formatDecimal({ value: d.q, scale }), resource: d.resource })),
    });
  }
  return lines;
}

export async function billSubscription(ctx: DomainContext, sub: SubscriptionRow, asOf: string, cache: PageCache, runId: string | null): Promise<{ invoices: number; messages: EmailMessage[] }> {
  const out = { invoices: 0, messages: [] as EmailMessage[] };
  if (sub.status === "cancelled" || sub.status === "terminated") return out;
  let contract = cache.contracts.get(sub.contractId);
  if (!contract) {
    contract = await ctx.db.select().from(contracts).where(eq(contracts.id, sub.contractId)).get();
    if (!contract) return out;
    cache.contracts.set(contract.id, contract);
  }
  if (contract.status === "cancelled") return out;
  const org = cache.orgCountry.get(sub.orgId);
  const interval = sub.billingInterval as Interval;
  let k = sub.billedThrough ? periodIndexOf(sub.anchorDate, interval, sub.billedThrough) : 0;
  let emptyThrough: string | null = null;
  for (let n = 0; n < MAX_PERIODS_PER_PASS; n++, k++) {
    const { start, end } = periodAt(sub.anchorDate, interval, k);
    if (sub.billedThrough && end <= sub.billedThrough) continue;
    const due = sub.model === "fixed" ? start <= asOf : end <= asOf;
    if (!due) break;
    if (contract.expiryDate && start >= contract.expiryDate) break;
    const inTrial = !!sub.trialEndsAt && start < sub.trialEndsAt;
    let lines: DraftLine[] = [];
    if (!inTrial) {
      if (sub.model === "fixed") {
        for (const p of await fixedProductsOf(ctx.db, cache, contract.planId)) {
          const q = fixedQuantity(p.unit, interval, k);
          if (q === 0) continue;
          lines.push({
            description: p.name, productId: p.id, unit: p.unit, taxable: p.taxable,
            quantity: { value: BigInt(q), scale: 0 }, unitPrice: { value: BigInt(p.priceAmount), scale: p.priceScale },
            periodFrom: start, periodTo: addDays(end, -1),
          });
        }
      } else {
        lines = await usageLines(ctx.db, sub, start, end);
      }
    }
    if (lines.length === 0) {
      // Nothing to charge: move past it (written once for a run of such periods, below or by the next invoice).
      emptyThrough = end;
      continue;
    }
    emptyThrough = null;
    const result = await issueInvoice(
      ctx,
      {
        orgId: sub.orgId, subscriptionId: sub.id, subscriptionName: sub.name, contractId: sub.contractId, kind: "subscription",
        issueDate: asOf, dueDate: addDays(asOf, cache.settings.paymentTermsDays), periodFrom: start, periodTo: addDays(end, -1), billingRunId: runId, lines,
      },
      {
        settings: cache.settings,
        ...(org ? { org, rules: cache.rulesByCountry.get(org.country) ?? [] } : {}),
        advanceSubscriptionTo: end,
        dispatch: false,
        numberHints: cache.numberHints,
      },
    );
    if (result.created) {
      out.invoices++;
      out.messages.push(...result.messages);
    }
  }
  if (emptyThrough) {
    await atomically(ctx.db, [
      rawStatement(`UPDATE resource_subscriptions SET billed_through = ?, updated_at = ? WHERE id = ? AND (billed_through IS NULL OR billed_through < ?)`,
        [emptyThrough, ctx.clock.now(), sub.id, emptyThrough]),
    ]);
  }
  return out;
}

/** Subscriptions the run walks, in id order after `cursor`. */
export function billableSubscriptionsPage(db: AppDb, cursor: string | null, limit: number) {
  return db
    .select()
    .from(resourceSubscriptions)
    .where(and(cursor ? gt(resourceSubscriptions.id, cursor) : undefined, sql`${resourceSubscriptions.status} NOT IN ('cancelled', 'terminated')`))
    .orderBy(resourceSubscriptions.id)
    .limit(limit);
}
