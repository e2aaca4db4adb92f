/**
 * Issuing, step 1 of 4 — draft (docs/decisions/014-billing-run-set-based.md): the invoice computed in memory
 * with the rounding rule of ADR 008 — lines at Billing Precision, one tax line per rule in force for the
 * organization's country (rule, version, name and rate frozen), totals — and its ids. Pure: no D1, no clock.
 * A billing page drafts hundreds of invoices this way before writing any of them.
 */
import { computeInvoiceWithRules, type RuleRate } from "../../../contract/billing";
import { toSafeNumber, type Decimal } from "../../../contract/money";
import { newId } from "../../../db/ids";

export interface DraftLine {
  description: string;
  productId?: string | null;
  resourceId?: string | null;
  quantity: Decimal;
  unit: string;
  unitPrice: Decimal;
  taxable: boolean;
  periodFrom?: string | null;
  periodTo?: string | null;
  /** The consumption behind a usage charge: shown on the invoice page and the PDF. */
  usageDetails?: Array<{ date: string; quantity: string; resource: string | null }> | null;
}

/** What to invoice: the caller's input to the four steps. */
export interface InvoiceDraft {
  orgId: string;
  subscriptionId: string | null;
  subscriptionName?: string | null;
  contractId: string | null;
  kind: "subscription" | "manual";
  issueDate: string;
  dueDate: string;
  /** Inclusive dates. */
  periodFrom: string;
  periodTo: string;
  billingRunId?: string | null;
  lines: DraftLine[];
}

/** The platform's money settings and the tax rules in force for the billed organization on the issue date. */
export interface Pricing {
  currency: string;
  exponent: number;
  precision: number;
  rules: RuleRate[];
  /** The organization's tax exemption: billed without tax, the reason frozen on the invoice (ADR 013). */
  taxExemptReason: string | null;
}

export interface LineRow {
  id: string;
  position: number;
  line: DraftLine;
  netP: number;
  netMinor: number;
}

export interface TaxRow {
  rule: RuleRate;
  taxableP: number;
  taxMinor: number;
}

export interface DraftInvoice {
  id: string;
  input: InvoiceDraft;
  currency: string;
  precision: number;
  taxExemptReason: string | null;
  subtotalMinor: number;
  taxMinor: number;
  totalMinor: number;
  lines: LineRow[];
  taxes: TaxRow[];
}

export function draftInvoice(input: InvoiceDraft, pricing: Pricing, now: number): DraftInvoice {
  // Exemption is frozen on the invoice with its (then empty) tax lines, like the rates of a taxed invoice.
  const rules = pricing.taxExemptReason ? [] : pricing.rules;
  const computed = computeInvoiceWithRules({ precision: pricing.precision, exponent: pricing.exponent, lines: input.lines, rules });
  return {
    id: newId("invoice", now),
    input,
    currency: pricing.currency,
    precision: pricing.precision,
    taxExemptReason: pricing.taxExemptReason,
    subtotalMinor: toSafeNumber(computed.subtotalMinor),
    taxMinor: toSafeNumber(computed.taxMinor),
    totalMinor: toSafeNumber(computed.totalMinor),
    lines: input.lines.map((line, i) => ({
      id: newId("invoiceLine", now),
      position: i + 1,
      line,
      netP: toSafeNumber(computed.lines[i]!.netP),
      netMinor: toSafeNumber(computed.lines[i]!.netMinor),
    })),
    taxes: computed.ruleTaxes.map((t) => ({
      rule: { ruleId: t.ruleId, ruleVersionId: t.ruleVersionId, ruleName: t.ruleName, ratePpm: t.ratePpm },
      taxableP: toSafeNumber(t.taxableP),
      taxMinor: toSafeNumber(t.taxMinor),
    })),
  };
}
