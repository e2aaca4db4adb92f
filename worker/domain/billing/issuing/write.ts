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
import type { NumberedInvoice } from "./number";

const INVOICE_COLUMNS = `id, org_id, subscription_id, contract_id, kind, number, series, issue_date, due_date, period_from, period_to, currency, precision,
  subtotal_minor, tax_minor, total_minor, billing_run_id, status, payment_state, rounding_rule, amount_paid_minor, issued_at, created_at, updated_at`;
const LINE_COLUMNS = `id, invoice_id, position, description, product_id, resource_id, quantity_value, quantity_scale, unit, unit_price_value, unit_price_scale,
  net_p, net_minor, taxable, period_from, period_to, usage_details`;
const TAX_COLUMNS = "invoice_id, rule_id, rule_version_id, rule_name, rate_ppm, taxable_p, tax_minor";

function invoiceRow(inv: NumberedInvoice): unknown[] {
  const d = inv.input;
  return [inv.id, d.orgId, d.subscriptionId, d.contractId, d.kind, inv.number, inv.series, d.issueDate, d.dueDate, d.periodFrom, d.periodTo, inv.currency, inv.precision,
    inv.subtotalMinor, inv.taxMinor, inv.totalMinor, d.billingRunId ?? null];
}

function lineRows(inv: NumberedInvoice): unknown[][] {
  return inv.lines.map(({ id, position, line: l, netP, netMinor }) => [
    id, inv.id, position, l.description, l.productId ?? null, l.resourceId ?? null, toSafeNumber(l.quantity.value), l.quantity.scale, l.unit,
    toSafeNumber(l.unitPrice.value), l.unitPrice.scale, netP, netMinor, l.taxable ? 1 : 0, l.periodFrom ?? null, l.periodTo ?? null,
    l.usageDetails ? JSON.stringify(l.usageDetails) : null,
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
    ...jsonRowsStatements(
      `INSERT INTO invoices (${INVOICE_COLUMNS}) SELECT ${jsonColumns(17)}, 'draft', 'none', 'v1-half-up-per-rate', 0, ?2, ?2, ?2 FROM json_each(?1) j`,
      invoices.map(invoiceRow), [now],
    ),
    ...jsonRowsStatements(`INSERT INTO invoice_lines (${LINE_COLUMNS}) SELECT ${jsonColumns(17)} FROM json_each(?1) j`, invoices.flatMap(lineRows)),
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

