/**
 * Writing issued invoices: set-based statements (db/bulk.ts) for the caller's ONE batch, in the order the
 * immutability triggers need (migration 0006): each invoice is inserted as a draft carrying its number, its
 * lines and frozen tax rows are added while it is a draft, then one update issues them all (status `unpaid`;
 * the trigger `invoices_number_on_issue` refuses an issue without a number). The batch is one transaction, so
 * nobody ever sees the draft. Columns are always named: new invoice columns with a default need no change here.
 *
 * Inserts are strict: a second invoice for the same (subscription, period) or a taken number fails its unique
 * index and aborts the whole batch — the caller decides whether to retry (docs/decisions/014).
 */
import { toSafeNumber } from "../../../contract/money";
import type { RawStatement } from "../../../db/atomic";
import { jsonColumns, jsonRowsStatements } from "../../../db/bulk";
import { buyerSnapshotSql, SELLER_SNAPSHOT_SQL } from "./parties";
import type { NumberedInvoice } from "./number";

/** What the invoices of one statement share (a billing page: all of them), bound once as ?2 … ?8. */
const sharedOf = (inv: NumberedInvoice) => {
  const d = inv.input;
  return [d.kind, inv.series, d.issueDate, d.dueDate, inv.currency, inv.precision, d.billingRunId ?? null];
};

const invoiceRow = (inv: NumberedInvoice): unknown[] => {
  const d = inv.input;
  return [inv.id, d.orgId, d.subscriptionId, d.contractId, inv.number, d.periodFrom, d.periodTo, inv.subtotalMinor, inv.taxMinor, inv.totalMinor, inv.taxExemptReason];
};

function invoiceStatements(invoices: NumberedInvoice[], now: number): RawStatement[] {
  const groups = new Map<string, { shared: unknown[]; rows: unknown[][] }>();
  for (const inv of invoices) {
    const shared = sharedOf(inv);
    const sig = JSON.stringify(shared);
    let g = groups.get(sig);
    if (!g) groups.set(sig, (g = { shared, rows: [] }));
    g.rows.push(invoiceRow(inv));
  }
  return [...groups.values()].flatMap((g) =>
    jsonRowsStatements(
      `INSERT INTO invoices (id, org_id, subscription_id, contract_id, number, period_from, period_to, subtotal_minor, tax_minor, total_minor, tax_exempt_reason,
         kind, series, issue_date, due_date, currency, precision, billing_run_id, status, payment_state, rounding_rule, amount_paid_minor, issued_at, created_at, updated_at,
         seller, buyer)
       SELECT ${jsonColumns(11)}, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 'draft', 'none', 'v1-half-up-per-rate', 0, ?9, ?9, ?9,
         ${SELLER_SNAPSHOT_SQL}, ${buyerSnapshotSql("j.value->>1")} FROM json_each(?1) j`,
      g.rows, [...g.shared, now],
    ),
  );
}

const LINE_COLUMNS = `id, invoice_id, position, description, product_id, resource_id, quantity_value, quantity_scale, unit, unit_price_value, unit_price_scale,
  net_p, net_minor, taxable, period_from, period_to, usage_details`;
const TAX_COLUMNS = "invoice_id, rule_id, rule_version_id, rule_name, rate_ppm, taxable_p, tax_minor";

function lineRows(inv: NumberedInvoice): unknown[][] {
  return inv.lines.map(({ id, position, line: l, netP, netMinor }) => [
    id, inv.id, position, l.description, l.productId ?? null, l.resourceId ?? null, toSafeNumber(l.quantity.value), l.quantity.scale, l.unit,
    toSafeNumber(l.unitPrice.value), l.unitPrice.scale, netP, netMinor, l.taxable ? 1 : 0, l.periodFrom ?? null, l.periodTo ?? null,
    l.usageDetails ?? null,
  ]);
}

function taxRows(inv: NumberedInvoice): unknown[][] {
  return inv.taxes.map((t) => [inv.id, t.rule.ruleId, t.rule.ruleVersionId, t.rule.ruleName, t.rule.ratePpm, t.taxableP, t.taxMinor]);
}

/** `paidIds`: invoices issued as paid ("Paid" manual invoices; their offline payment is posted by step 3). */
export function issueStatements(invoices: NumberedInvoice[], now: number, paidIds: string[] = []): RawStatement[] {
  if (invoices.length === 0) return [];
  const ids = invoices.map((i) => i.id);
  return [
    ...invoiceStatements(invoices, now),
    // usage_details travels as JSON, not as a string of JSON (`->` keeps it as JSON text; NULL stays NULL).
    ...jsonRowsStatements(`INSERT INTO invoice_lines (${LINE_COLUMNS}) SELECT ${jsonColumns(16)}, CASE WHEN j.value->>16 IS NULL THEN NULL ELSE j.value->16 END FROM json_each(?1) j`, invoices.flatMap(lineRows)),
    ...jsonRowsStatements(`INSERT INTO invoice_taxes (${TAX_COLUMNS}) SELECT ${jsonColumns(7)} FROM json_each(?1) j`, invoices.flatMap(taxRows)),
    ...jsonRowsStatements(`UPDATE invoices SET status = 'unpaid', updated_at = ?2 WHERE id IN (SELECT value FROM json_each(?1)) AND status = 'draft'`, ids, [now]),
    ...jsonRowsStatements(
      `UPDATE invoices SET status = 'paid', amount_paid_minor = total_minor, paid_at = ?2, updated_at = ?2 WHERE id IN (SELECT value FROM json_each(?1)) AND status = 'unpaid'`,
      paidIds, [now],
    ),
  ];
}

/** Billing run: `billed_through` (exclusive end of the last period dealt with) moves forward only. */
export function advanceSubscriptionsStatements(advances: Array<[subscriptionId: string, billedThrough: string]>, now: number): RawStatement[] {
  return jsonRowsStatements(
    `UPDATE resource_subscriptions SET billed_through = j.value->>1, updated_at = ?2 FROM json_each(?1) j
     WHERE resource_subscriptions.id = j.value->>0 AND (resource_subscriptions.billed_through IS NULL OR resource_subscriptions.billed_through < j.value->>1)`,
    advances, [now],
  );
}

