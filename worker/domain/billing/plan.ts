/**
 * What one Resource Subscription owes on a run date (docs/decisions/010-billing-run.md), computed in memory from
 * what its billing page read at once (page.ts). Pure: no D1, no clock.
 * - periods repeat from the anchor by the subscription's interval; each is [start, end) and is billed once:
 *   fixed fees IN ADVANCE (due once the period has started: start ≤ as-of), pay-as-you-go usage IN ARREARS
 *   (due once it has ended: end ≤ as-of), from the usage records dated inside it;
 * - trials: a period that starts before `trial_ends_at` is free: no invoice, usage in it is not charged;
 * - no period is billed from the contract's expiry date on; cancelled contracts are not billed;
 * - a period with nothing to charge, or already invoiced, is passed over: `billed_through` moves past it;
 * - at most MAX_PERIODS_PER_PASS periods per subscription per pass (catch-up continues in the next run).
 */
import { formatDecimal, rescale, type Decimal } from "../../contract/money";
import { addDays, fixedQuantity, periodAt, periodIndexOf, type Interval } from "./dates";
import type { DraftLine, InvoiceDraft } from "./issuing/draft";

export const MAX_PERIODS_PER_PASS = 12;

export interface SubscriptionRow {
  id: string;
  orgId: string;
  contractId: string;
  name: string;
  model: string;
  billingInterval: string;
  anchorDate: string;
  trialEndsAt: string | null;
  billedThrough: string | null;
}

export interface ContractRow {
  planId: string;
  expiryDate: string | null;
  status: string;
}

interface Priced {
  productId: string;
  name: string;
  unit: string;
  priceAmount: number;
  priceScale: number;
  taxable: boolean;
}

/** An active fixed-fee product of a plan. */
export type FixedProduct = Priced;

/** Usage of one product on one day for one resource (name), summed per quantity scale, in the line order. */
export interface UsageRow extends Priced {
  usageDate: string;
  resource: string | null;
  quantity: bigint;
  scale: number;
}

export interface SubscriptionTerms {
  asOf: string;
  dueDate: string;
  runId: string | null;
  contract: ContractRow | undefined;
  /** Sorted by name (the order of the lines). */
  fixed: FixedProduct[];
  usage: UsageRow[];
  /** `${subscriptionId}|${periodFrom}|${periodTo}` of invoices that already exist. */
  invoiced: Set<string>;
}

export interface SubscriptionPlan {
  invoices: InvoiceDraft[];
  /** The new `billed_through` (exclusive end of the last period dealt with), or null when it does not move. */
  billedThrough: string | null;
}

const price = (p: Priced): Decimal => ({ value: BigInt(p.priceAmount), scale: p.priceScale });

function fixedLines(products: FixedProduct[], interval: Interval, k: number, start: string, end: string): DraftLine[] {
  return products.flatMap((p) => {
    const q = fixedQuantity(p.unit, interval, k);
    return q === 0 ? [] : [{ description: p.name, productId: p.productId, unit: p.unit, taxable: p.taxable, quantity: { value: BigInt(q), scale: 0 }, unitPrice: price(p), periodFrom: start, periodTo: addDays(end, -1) }];
  });
}

/** One line per product with its consumption per day and resource; a product whose usage sums to zero is left out. */
export function usageLines(rows: UsageRow[], start: string, end: string): DraftLine[] {
  const byProduct = new Map<string, UsageRow[]>();
  for (const r of rows) {
    if (r.usageDate < start || r.usageDate >= end) continue;
    const list = byProduct.get(r.productId);
    if (list) list.push(r);
    else byProduct.set(r.productId, [r]);
  }
  const lines: DraftLine[] = [];
  for (const [productId, list] of byProduct) {
    const scale = Math.max(...list.map((r) => r.scale));
    const detail = new Map<string, { date: string; resource: string | null; q: bigint }>();
    let total = 0n;
    for (const r of list) {
      const q = rescale(r.quantity, r.scale, scale);
      total += q;
      const key = `${r.usageDate}|${r.resource ?? ""}`;
      const d = detail.get(key) ?? { date: r.usageDate, resource: r.resource, q: 0n };
      d.q += q;
      detail.set(key, d);
    }
    if (total === 0n) continue;
    const first = list[0]!;
    lines.push({
      description: first.name, productId, unit: first.unit, taxable: first.taxable, quantity: { value: total, scale }, unitPrice: price(first),
      periodFrom: start, periodTo: addDays(end, -1),
      usageDetails: [...detail.values()].map((d) => ({ date: d.date, quantity: formatDecimal({ value: d.q, scale }), resource: d.resource })),
    });
  }
  return lines;
}

export function planSubscription(sub: SubscriptionRow, terms: SubscriptionTerms): SubscriptionPlan {
  const plan: SubscriptionPlan = { invoices: [], billedThrough: null };
  const { contract, asOf } = terms;
  if (!contract || contract.status === "cancelled") return plan;
  const interval = sub.billingInterval as Interval;
  let k = sub.billedThrough ? periodIndexOf(sub.anchorDate, interval, sub.billedThrough) : 0;
  for (let n = 0; n < MAX_PERIODS_PER_PASS; n++, k++) {
    const { start, end } = periodAt(sub.anchorDate, interval, k);
    if (sub.billedThrough && end <= sub.billedThrough) continue;
    if (!(sub.model === "fixed" ? start <= asOf : end <= asOf)) break;
    if (contract.expiryDate && start >= contract.expiryDate) break;
    const periodTo = addDays(end, -1);
    const inTrial = !!sub.trialEndsAt && start < sub.trialEndsAt;
    const lines = inTrial || terms.invoiced.has(`${sub.id}|${start}|${periodTo}`) ? [] : sub.model === "fixed" ? fixedLines(terms.fixed, interval, k, start, end) : usageLines(terms.usage, start, end);
    plan.billedThrough = end;
    if (lines.length === 0) continue;
    plan.invoices.push({
      orgId: sub.orgId, subscriptionId: sub.id, subscriptionName: sub.name, contractId: sub.contractId, kind: "subscription",
      issueDate: asOf, dueDate: terms.dueDate, periodFrom: start, periodTo, billingRunId: terms.runId, lines,
    });
  }
  return plan;
}
