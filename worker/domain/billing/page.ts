/**
 * Reading one page of a billing run (docs/decisions/014-billing-run-set-based.md): the run, its next subscriptions
 * after the cursor and everything billing them needs — contracts, the plans' fixed products, the organizations'
 * countries and the tax rules in force there, usage, the invoices that already exist for their open periods, the
 * settings, the series' next number and the audience of the page's emails — in ONE D1 batch: one round trip and one consistent snapshot. Every
 * statement names the page through the same `page` CTE, so the page is chosen once, inside the batch.
 *
 * Memory stays bounded: usage is summed per (product, day, resource) in SQL and read up to USAGE_ROWS_PER_PAGE
 * rows; a page whose usage would exceed that ends early (at least one subscription: the next page goes on).
 */
import type { RuleRate } from "../../contract/billing";
import { rawStatement } from "../../db/atomic";
import { readBatch } from "../../db/bulk";
import type { DomainContext } from "../context";
import { audienceFrom, audienceStatements, type Audience, type AudienceRows } from "../email/notify";
import type { ContractRow, FixedProduct, SubscriptionRow, UsageRow } from "./plan";
import { DEFAULT_SETTINGS, type SettingsRow } from "./settings";

/** Aggregated usage rows one page may hold in memory (~200 bytes each). */
export const USAGE_ROWS_PER_PAGE = 20_000;

export interface RunRow {
  id: string;
  asOf: string;
  status: string;
  cursor: string | null;
}

export interface PageData {
  run: RunRow | undefined;
  subs: SubscriptionRow[];
  /** More subscriptions follow this page. */
  more: boolean;
  contracts: Map<string, ContractRow>;
  fixedByPlan: Map<string, FixedProduct[]>;
  countryOf: Map<string, string>;
  /** Per organization: its tax exemption reason (billed without tax), null when taxed. */
  exemptOf: Map<string, string | null>;
  rulesByCountry: Map<string, RuleRate[]>;
  usageBySub: Map<string, UsageRow[]>;
  invoiced: Set<string>;
  settings: SettingsRow;
  nextNumber: number;
  /** Recipients and tags of the page's `invoice.issued` emails (the organizations' primary contacts). */
  audience: Audience;
}

const PAGE = `WITH page AS (
  SELECT s.id, s.org_id, s.contract_id, s.model, s.anchor_date, s.billed_through FROM resource_subscriptions s
  WHERE s.id > coalesce((SELECT cursor FROM billing_runs WHERE id = ?1), '') AND s.status NOT IN ('cancelled', 'terminated')
  ORDER BY s.id LIMIT ?2)`;
const AS_OF = `(SELECT as_of FROM billing_runs WHERE id = ?1)`;
const PAGE_CONTRACTS = `(SELECT contract_id FROM page)`;

type Row = Record<string, unknown>;
const str = (v: unknown) => v as string;
const strOrNull = (v: unknown) => (v ?? null) as string | null;
const num = (v: unknown) => v as number;

/** How much one page may read: subscriptions, and aggregated usage rows (tests lower the second). */
export interface PageSize {
  subscriptions: number;
  usageRows?: number;
}

function pageStatements(runId: string, pageSize: number, usageRows: number) {
  const p = [runId, pageSize];
  return [
    rawStatement(`SELECT id, as_of, status, cursor FROM billing_runs WHERE id = ?1`, [runId]),
    // One more than the page: tells whether another page follows.
    rawStatement(
      `SELECT s.id, s.org_id, s.contract_id, s.name, s.model, s.billing_interval, s.anchor_date, s.trial_ends_at, s.billed_through FROM resource_subscriptions s
       WHERE s.id > coalesce((SELECT cursor FROM billing_runs WHERE id = ?1), '') AND s.status NOT IN ('cancelled', 'terminated') ORDER BY s.id LIMIT ?2 + 1`, p),
    rawStatement(`${PAGE} SELECT c.id, c.plan_id, c.expiry_date, c.status FROM contracts c WHERE c.id IN ${PAGE_CONTRACTS}`, p),
    rawStatement(
      `${PAGE} SELECT pp.plan_id, p.id AS product_id, p.name, p.unit, p.price_amount, p.price_scale, p.taxable FROM plan_products pp JOIN products p ON p.id = pp.product_id
       WHERE pp.plan_id IN (SELECT plan_id FROM contracts WHERE id IN ${PAGE_CONTRACTS}) AND p.model = 'fixed' AND p.status = 'active'`, p),
    rawStatement(`${PAGE} SELECT o.id, o.country, o.tax_exempt_reason FROM organizations o WHERE o.id IN (SELECT org_id FROM page)`, p),
    // Every active rule of those countries at the rate of its latest version in force on the run date (tax/applicable.ts).
    rawStatement(
      `${PAGE} SELECT r.country, r.id AS rule_id, r.name AS rule_name, v.id AS version_id, v.rate_ppm FROM tax_rules r
       JOIN tax_rule_versions v ON v.rule_id = r.id AND v.effective_from = (
         SELECT MAX(v2.effective_from) FROM tax_rule_versions v2 WHERE v2.rule_id = r.id AND v2.effective_from <= ${AS_OF})
       WHERE r.status = 'active' AND r.deleted_at IS NULL AND r.country IN (SELECT country FROM organizations WHERE id IN (SELECT org_id FROM page))
       ORDER BY r.name, r.id`, p),
    // Invoices of periods not yet passed (period_to ≥ billed_through): the only ones a new invoice could duplicate.
    rawStatement(`${PAGE} SELECT i.subscription_id, i.period_from, i.period_to FROM page s JOIN invoices i ON i.subscription_id = s.id AND i.period_to >= coalesce(s.billed_through, '')`, p),
    rawStatement(usageSql(`${PAGE}, subs AS (SELECT id AS sub_id FROM page)`, "LIMIT ?3"), [runId, pageSize, usageRows + 1]),
    rawStatement(`SELECT currency, precision, payment_terms_days, invoice_prefix, updated_at FROM billing_settings WHERE id = 1`, []),
    rawStatement(
      `SELECT next_number FROM invoice_number_series WHERE series =
         coalesce((SELECT invoice_prefix FROM billing_settings WHERE id = 1), ?2) || '-' || substr(${AS_OF}, 1, 4)`, [runId, DEFAULT_SETTINGS.invoicePrefix]),
    ...audienceStatements({ orgIds: [], userIds: [], events: ["invoice.issued"] }, { with: PAGE, ids: "SELECT org_id FROM page", params: p }),
  ];
}

/**
 * Usage of the subscriptions of the CTE `subs(sub_id)` (`?1` = the run), summed per product, day, resource
 * name and quantity scale, in line order (name, product, day, resource). Only days not yet billed and before the
 * run date; subscriptions that are not payg have none to bill.
 */
const usageSql = (withSubs: string, limit: string) => `${withSubs}
  SELECT u.subscription_id AS sub_id, u.product_id, p.name, p.unit, p.price_amount, p.price_scale, p.taxable, u.usage_date, r.name AS resource,
    u.quantity_scale AS scale, CAST(SUM(u.quantity_value) AS TEXT) AS quantity
  FROM subs JOIN resource_subscriptions s ON s.id = subs.sub_id AND s.model = 'payg'
    JOIN usage_records u ON u.subscription_id = s.id AND u.usage_date >= coalesce(s.billed_through, s.anchor_date) AND u.usage_date < ${AS_OF}
    JOIN products p ON p.id = u.product_id LEFT JOIN resources r ON r.id = u.resource_id
  GROUP BY u.subscription_id, u.product_id, u.usage_date, r.name, u.quantity_scale
  ORDER BY u.subscription_id, p.name, u.product_id, u.usage_date, r.name, u.quantity_scale ${limit}`;

const toSub = (r: Row): SubscriptionRow => ({
  id: str(r.id), orgId: str(r.org_id), contractId: str(r.contract_id), name: str(r.name), model: str(r.model), billingInterval: str(r.billing_interval),
  anchorDate: str(r.anchor_date), trialEndsAt: strOrNull(r.trial_ends_at), billedThrough: strOrNull(r.billed_through),
});

const toPriced = (r: Row) => ({
  productId: str(r.product_id), name: str(r.name), unit: str(r.unit), priceAmount: num(r.price_amount), priceScale: num(r.price_scale), taxable: !!r.taxable,
});

function groupBy<T>(rows: Row[], key: (r: Row) => string, map: (r: Row) => T): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const r of rows) {
    const k = key(r);
    const list = out.get(k);
    if (list) list.push(map(r));
    else out.set(k, [map(r)]);
  }
  return out;
}

function usageBySubscription(rows: Row[]): Map<string, UsageRow[]> {
  return groupBy(rows, (r) => str(r.sub_id), (r) => ({ ...toPriced(r), usageDate: str(r.usage_date), resource: strOrNull(r.resource), quantity: BigInt(str(r.quantity)), scale: num(r.scale) }));
}

/** A page whose usage exceeds the budget ends before the subscription where the budget ran out. */
async function boundUsage(ctx: Pick<DomainContext, "db">, runId: string, subs: SubscriptionRow[], usage: Row[], budget: number): Promise<{ subs: SubscriptionRow[]; usage: Row[]; cut: boolean }> {
  if (usage.length <= budget) return { subs, usage, cut: false };
  const cutAt = str(usage[budget]!.sub_id);
  const before = subs.filter((s) => s.id < cutAt);
  if (before.length) return { subs: before, usage: usage.filter((u) => str(u.sub_id) < cutAt), cut: true };
  // One subscription alone exceeds the budget: it is its own page.
  const [all] = await readBatch<[Row]>(ctx.db.$client, [rawStatement(usageSql(`WITH subs AS (SELECT ?2 AS sub_id)`, ""), [runId, cutAt])]);
  return { subs: subs.slice(0, 1), usage: all, cut: true };
}

export async function loadPage(ctx: Pick<DomainContext, "db">, runId: string, size: PageSize): Promise<PageData> {
  const pageSize = size.subscriptions;
  const budget = size.usageRows ?? USAGE_ROWS_PER_PAGE;
  const results = await readBatch<[Row, Row, Row, Row, Row, Row, Row, Row, Row, Row, ...unknown[]]>(ctx.db.$client, pageStatements(runId, pageSize, budget));
  const [runs, subRows, contracts, fixed, orgs, rules, invoiced, usage, settings, series] = results;
  const run = runs[0] ? { id: str(runs[0].id), asOf: str(runs[0].as_of), status: str(runs[0].status), cursor: strOrNull(runs[0].cursor) } : undefined;
  const bounded = await boundUsage(ctx, runId, subRows.slice(0, pageSize).map(toSub), usage, budget);
  const s = settings[0];
  return {
    run,
    subs: bounded.subs,
    more: bounded.cut || subRows.length > pageSize,
    contracts: new Map(contracts.map((c) => [str(c.id), { planId: str(c.plan_id), expiryDate: strOrNull(c.expiry_date), status: str(c.status) }])),
    // Lines follow the product names as people sort them (as the per-subscription engine did).
    fixedByPlan: new Map([...groupBy(fixed, (r) => str(r.plan_id), toPriced)].map(([plan, list]) => [plan, list.sort((a, b) => a.name.localeCompare(b.name))])),
    countryOf: new Map(orgs.map((o) => [str(o.id), str(o.country)])),
    exemptOf: new Map(orgs.map((o) => [str(o.id), strOrNull(o.tax_exempt_reason)])),
    rulesByCountry: groupBy(rules, (r) => str(r.country), (r) => ({ ruleId: str(r.rule_id), ruleVersionId: str(r.version_id), ruleName: str(r.rule_name), ratePpm: num(r.rate_ppm) })),
    usageBySub: usageBySubscription(bounded.usage),
    invoiced: new Set(invoiced.map((i) => `${str(i.subscription_id)}|${str(i.period_from)}|${str(i.period_to)}`)),
    settings: s ? { currency: str(s.currency), precision: num(s.precision), paymentTermsDays: num(s.payment_terms_days), invoicePrefix: str(s.invoice_prefix), updatedAt: num(s.updated_at) } : DEFAULT_SETTINGS,
    nextNumber: series[0] ? num(series[0].next_number) : 1,
    audience: audienceFrom(results.slice(10) as AudienceRows),
  };
}
