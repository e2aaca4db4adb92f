/**
 * The demo's billing history (scripts/seed.mjs): the invoices a daily billing run would have issued for the
 * seeded Resource Subscriptions over the HISTORY_DAYS before the day the seed runs, most of them paid by bank
 * transfer (offline payments), the recent ones open, and one customer's overdue. So a new user opens Invoices and
 * Transaction Logs on a living system instead of empty lists.
 *
 * Computed exactly as the billing run computes it (docs/decisions/010-billing-run.md): the same periods
 * (`periodAt`), fixed fees in advance and usage in arrears, trials free, the same quantities (`fixedQuantity`) and
 * the same money arithmetic (`computeInvoiceWithRules`, ADR 008). Written as the issuer writes it: the invoice as a
 * draft, its lines and frozen taxes, then issued with a gapless number, the `invoice_issued` and `offline_payment`
 * ledger postings with the issuer's idempotency keys, `billed_through` advanced. No email is queued: this is the
 * past.
 *
 * Seeded once: only into a database without invoices. The first statement records a completed billing run (the
 * last night's scheduled run, with a stable id) and every other statement runs only while that run is not
 * finished; the last statement finishes it. So running the seed again — the same day, or any later day — writes
 * nothing, and a seed stopped half-way completes on the next run (every statement is idempotent: stable ids,
 * ON CONFLICT DO NOTHING, conditional updates).
 */
import { computeInvoiceWithRules, type RuleRate } from "../worker/contract/billing";
import { currency } from "../worker/contract/currencies";
import { formatDecimal } from "../worker/contract/money";
import { addDays, fixedQuantity, periodAt, type Interval } from "../worker/domain/billing/dates";

/** How far back the history goes: about four months. */
export const HISTORY_DAYS = 120;

export interface HistoryInput {
  /** The day the seed runs (`YYYY-MM-DD`, UTC): the history ends the day before. */
  today: string;
  seedId: (prefix: string, key: string) => string;
  /** Who recorded the offline payments. */
  recordedBy: string;
  settings: { currency: string; precision: number; paymentTermsDays: number; invoicePrefix: string };
  orgs: Array<{ key: string; country: string }>;
  products: Array<{ key: string; name: string; model: "fixed" | "payg"; unit: string; amount: number; scale: number; taxable: boolean }>;
  plans: Array<{ key: string; products: string[] }>;
  subscriptions: Array<{ key: string; org: string; plan: string; name: string; model: "fixed" | "payg"; interval: Interval; anchor: string; status: string; trialEndsAt?: string }>;
  taxRules: Array<{ key: string; name: string; country: string; ratePpm: number; status?: string; effectiveFrom: string }>;
  usage: Array<{ key: string; sub: string; resource: string; product: string; date: string; hundredths: number }>;
  /** Organizations that have not paid what is due: their invoices stay open, and overdue once past due. */
  inArrears: string[];
}

interface Line {
  description: string;
  productId: string;
  resourceId: null;
  quantity: { value: bigint; scale: number };
  unit: string;
  unitPrice: { value: bigint; scale: number };
  taxable: boolean;
  periodFrom: string;
  periodTo: string;
  usageDetails: Array<{ date: string; quantity: string; resource: string | null }> | null;
}

interface Issued {
  id: string;
  sub: HistoryInput["subscriptions"][number];
  orgId: string;
  issueDate: string;
  periodFrom: string;
  periodTo: string;
  lines: Line[];
}

const q = (v: unknown): string => (v === null || v === undefined ? "NULL" : typeof v === "number" || typeof v === "bigint" ? String(v) : `'${String(v).replace(/'/g, "''")}'`);
const at = (date: string, hours: number, minutes = 0) => Date.parse(`${date}T00:00:00Z`) + hours * 3_600_000 + minutes * 60_000;
/** 0…n-1 from a key: the same every run. */
function pick(key: string, n: number): number {
  let h = 2166136261;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 16777619) >>> 0;
  return h % n;
}

export function historyStatements(input: HistoryInput): string[] {
  const { seedId, settings, today } = input;
  const from = addDays(today, -HISTORY_DAYS);
  const yesterday = addDays(today, -1);
  const exponent = currency(settings.currency).exponent;
  const marker = seedId("brn", "seed-history");
  const gate = `EXISTS (SELECT 1 FROM billing_runs WHERE id = ${q(marker)} AND finished_at IS NULL)`;
  const productByKey = new Map(input.products.map((p) => [p.key, p]));
  const countryOf = new Map(input.orgs.map((o) => [o.key, o.country]));

  // 1. What the daily run would have issued, and how far each subscription is billed.
  const issued: Issued[] = [];
  const billedThrough = new Map<string, string>();
  for (const sub of input.subscriptions) {
    if (sub.status === "cancelled" || sub.status === "terminated") continue;
    for (let k = 0; ; k++) {
      const { start, end } = periodAt(sub.anchor, sub.interval, k);
      const due = sub.model === "fixed" ? start : end; // fixed fees in advance, usage in arrears
      if (due > yesterday) break;
      billedThrough.set(sub.key, end);
      if (due < from) continue; // before the history: treated as settled, never billed by a later run
      if (sub.trialEndsAt && start < sub.trialEndsAt) continue;
      const lines = sub.model === "fixed" ? fixedLines(input, sub, k, start, end) : usageLines(input, sub, start, end);
      if (lines.length === 0) continue;
      issued.push({ id: seedId("inv", `${sub.key}:${start}`), sub, orgId: seedId("org", sub.org), issueDate: due, periodFrom: start, periodTo: addDays(end, -1), lines });
    }
  }
  // The run walks subscriptions in id order each day; numbers follow issue order.
  issued.sort((a, b) => (a.issueDate === b.issueDate ? (seedId("sub", a.sub.key) < seedId("sub", b.sub.key) ? -1 : 1) : a.issueDate < b.issueDate ? -1 : 1));

  const statements: string[] = [
    // The marker: only into a database with no invoice and no earlier history.
    `INSERT INTO billing_runs (id, as_of, trigger, triggered_by, status, total_subscriptions, processed_subscriptions, invoices_created, cursor, error, started_at, finished_at, heartbeat_at)
     SELECT ${q(marker)}, ${q(yesterday)}, 'cron', NULL, 'completed', ${input.subscriptions.length}, ${input.subscriptions.length}, ${issued.filter((i) => i.issueDate === yesterday).length}, NULL, NULL, ${at(yesterday, 2)}, NULL, ${at(yesterday, 2)}
     WHERE NOT EXISTS (SELECT 1 FROM invoices) AND NOT EXISTS (SELECT 1 FROM billing_runs WHERE id = ${q(marker)});`,
  ];

  const nextNumber = new Map<string, number>();
  for (const inv of issued) {
    const rules: RuleRate[] = input.taxRules
      .filter((r) => r.country === countryOf.get(inv.sub.org) && (r.status ?? "active") === "active" && r.effectiveFrom <= inv.issueDate)
      .map((r) => ({ ruleId: seedId("tax", r.key), ruleVersionId: seedId("txv", r.key), ruleName: r.name, ratePpm: r.ratePpm }));
    const computed = computeInvoiceWithRules({ precision: settings.precision, exponent, lines: inv.lines, rules });
    const subtotal = computed.subtotalMinor;
    const tax = computed.taxMinor;
    const total = computed.totalMinor;
    const series = `${settings.invoicePrefix}-${inv.issueDate.slice(0, 4)}`;
    const n = nextNumber.get(series) ?? 1;
    nextNumber.set(series, n + 1);
    const number = `${series}-${String(n).padStart(6, "0")}`;
    const issuedAt = at(inv.issueDate, 2, 5 + (issued.indexOf(inv) % 50));
    const due = addDays(inv.issueDate, settings.paymentTermsDays);
    const isDraft = `(SELECT status FROM invoices WHERE id = ${q(inv.id)}) = 'draft'`;

    statements.push(
      `INSERT INTO invoices (id, org_id, subscription_id, contract_id, kind, number, series, status, payment_state, issue_date, due_date, period_from, period_to, currency, precision, rounding_rule, subtotal_minor, tax_minor, total_minor, amount_paid_minor, billing_run_id, created_at, updated_at)
       SELECT ${[inv.id, inv.orgId, seedId("sub", inv.sub.key), seedId("ctr", inv.sub.key), "subscription"].map(q).join(", ")}, NULL, NULL, 'draft', 'none', ${[inv.issueDate, due, inv.periodFrom, inv.periodTo, settings.currency, settings.precision, "v1-half-up-per-rate", subtotal, tax, total].map(q).join(", ")}, 0, NULL, ${issuedAt}, ${issuedAt}
       WHERE ${gate} ON CONFLICT DO NOTHING;`,
      ...inv.lines.map(
        (l, i) =>
          `INSERT INTO invoice_lines (id, invoice_id, position, description, product_id, resource_id, quantity_value, quantity_scale, unit, unit_price_value, unit_price_scale, net_p, net_minor, taxable, period_from, period_to, usage_details)
           SELECT ${[seedId("inl", `${inv.id}:${i + 1}`), inv.id, i + 1, l.description, l.productId, l.resourceId, l.quantity.value, l.quantity.scale, l.unit, l.unitPrice.value, l.unitPrice.scale, computed.lines[i]!.netP, computed.lines[i]!.netMinor, l.taxable ? 1 : 0, l.periodFrom, l.periodTo, l.usageDetails ? JSON.stringify(l.usageDetails) : null].map(q).join(", ")}
           WHERE ${gate} AND ${isDraft} ON CONFLICT DO NOTHING;`,
      ),
      ...computed.ruleTaxes.map(
        (t) =>
          `INSERT INTO invoice_taxes (invoice_id, rule_id, rule_version_id, rule_name, rate_ppm, taxable_p, tax_minor)
           SELECT ${[inv.id, t.ruleId, t.ruleVersionId, t.ruleName, t.ratePpm, t.taxableP, t.taxMinor].map(q).join(", ")}
           WHERE ${gate} AND ${isDraft} ON CONFLICT DO NOTHING;`,
      ),
      `UPDATE invoices SET status = 'unpaid', number = ${q(number)}, series = ${q(series)}, issued_at = ${issuedAt}, updated_at = ${issuedAt} WHERE id = ${q(inv.id)} AND status = 'draft' AND ${gate};`,
      ...posting(input, gate, {
        id: seedId("txn", `invoice_issued:${inv.id}`), orgId: inv.orgId, kind: "invoice_issued", direction: "none", amount: total, invoiceId: inv.id,
        reference: null, description: "Invoice issued", key: `invoice_issued:${inv.id}`, at: issuedAt, actor: null,
        entries: [["receivable", total], ["revenue", -subtotal], ["tax_payable", -tax]],
      }),
    );

    // Paid by bank transfer a few days after issue, unless the organization is in arrears or it has not happened yet.
    const paidOn = addDays(inv.issueDate, 3 + pick(inv.id, 10));
    if (!input.inArrears.includes(inv.sub.org) && paidOn < today) {
      const paidAt = at(paidOn, 9 + pick(`${inv.id}:h`, 8), pick(`${inv.id}:m`, 60));
      const reference = `BT-${paidOn.replaceAll("-", "")}-${String(n).padStart(4, "0")}`;
      statements.push(
        `UPDATE invoices SET status = 'paid', amount_paid_minor = total_minor, paid_at = ${paidAt}, updated_at = ${paidAt} WHERE id = ${q(inv.id)} AND status = 'unpaid' AND ${gate};`,
        ...posting(input, gate, {
          id: seedId("txn", `offline_payment:${inv.id}`), orgId: inv.orgId, kind: "offline_payment", direction: "in", amount: total, invoiceId: inv.id,
          reference, description: `Bank transfer for ${number}`, key: `offline_payment:${inv.id}`, at: paidAt, actor: input.recordedBy,
          entries: [["cash", total], ["receivable", -total]],
        }),
      );
    }
  }

  for (const [series, next] of nextNumber) {
    statements.push(
      `INSERT INTO invoice_number_series (series, next_number) SELECT ${q(series)}, 1 WHERE ${gate} ON CONFLICT (series) DO NOTHING;`,
      `UPDATE invoice_number_series SET next_number = ${next} WHERE series = ${q(series)} AND next_number < ${next} AND ${gate};`,
    );
  }
  for (const [sub, end] of billedThrough) {
    statements.push(`UPDATE resource_subscriptions SET billed_through = ${q(end)} WHERE id = ${q(seedId("sub", sub))} AND (billed_through IS NULL OR billed_through < ${q(end)}) AND ${gate};`);
  }
  statements.push(`UPDATE billing_runs SET finished_at = ${at(yesterday, 2, 7)}, heartbeat_at = ${at(yesterday, 2, 7)} WHERE id = ${q(marker)} AND finished_at IS NULL;`);
  return statements;
}

function fixedLines(input: HistoryInput, sub: HistoryInput["subscriptions"][number], k: number, start: string, end: string): Line[] {
  const plan = input.plans.find((p) => p.key === sub.plan);
  const products = (plan?.products ?? [])
    .map((key) => input.products.find((p) => p.key === key)!)
    .filter((p) => p.model === "fixed")
    .sort((a, b) => a.name.localeCompare(b.name));
  const lines: Line[] = [];
  for (const p of products) {
    const quantity = fixedQuantity(p.unit, sub.interval, k);
    if (quantity === 0) continue;
    lines.push({
      description: p.name, productId: input.seedId("prd", p.key), resourceId: null, quantity: { value: BigInt(quantity), scale: 0 }, unit: p.unit,
      unitPrice: { value: BigInt(p.amount), scale: p.scale }, taxable: p.taxable, periodFrom: start, periodTo: addDays(end, -1), usageDetails: null,
    });
  }
  return lines;
}

function usageLines(input: HistoryInput, sub: HistoryInput["subscriptions"][number], start: string, end: string): Line[] {
  const readings = input.usage.filter((u) => u.sub === sub.key && u.date >= start && u.date < end);
  const byProduct = new Map<string, typeof readings>();
  for (const r of readings) byProduct.set(r.product, [...(byProduct.get(r.product) ?? []), r]);
  const products = [...byProduct.keys()].map((key) => input.products.find((p) => p.key === key)!).sort((a, b) => a.name.localeCompare(b.name));
  return products.flatMap((p): Line[] => {
    const list = byProduct.get(p.key)!.sort((a, b) => (a.date === b.date ? a.resource.localeCompare(b.resource) : a.date < b.date ? -1 : 1));
    const total = list.reduce((sum, r) => sum + BigInt(r.hundredths), 0n);
    if (total === 0n) return [];
    return [{
      description: p.name, productId: input.seedId("prd", p.key), resourceId: null, quantity: { value: total, scale: 2 }, unit: p.unit,
      unitPrice: { value: BigInt(p.amount), scale: p.scale }, taxable: p.taxable, periodFrom: start, periodTo: addDays(end, -1),
      usageDetails: list.map((r) => ({ date: r.date, quantity: formatDecimal({ value: BigInt(r.hundredths), scale: 2 }), resource: r.resource })),
    }];
  });
}

function posting(
  input: HistoryInput,
  gate: string,
  p: { id: string; orgId: string; kind: string; direction: string; amount: bigint; invoiceId: string; reference: string | null; description: string; key: string; at: number; actor: string | null; entries: Array<[string, bigint]> },
): string[] {
  return [
    `INSERT INTO ledger_transactions (id, org_id, kind, direction, amount_minor, currency, status, invoice_id, gateway, reference, description, actor_user_id, idempotency_key, created_at)
     SELECT ${[p.id, p.orgId, p.kind, p.direction, p.amount, input.settings.currency, "completed", p.invoiceId, null, p.reference, p.description, p.actor, p.key, p.at].map(q).join(", ")}
     WHERE ${gate} ON CONFLICT (idempotency_key) DO NOTHING;`,
    ...p.entries
      .filter(([, amount]) => amount !== 0n)
      .map(
        ([account, amount]) =>
          `INSERT INTO ledger_entries (id, transaction_id, org_id, account, amount_minor, currency, created_at)
           SELECT ${[input.seedId("led", `${p.key}:${account}`), p.id, p.orgId, account, amount, input.settings.currency, p.at].map(q).join(", ")}
           WHERE EXISTS (SELECT 1 FROM ledger_transactions WHERE id = ${q(p.id)}) ON CONFLICT DO NOTHING;`,
      ),
  ];
}
