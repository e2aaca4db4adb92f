/**
 * Billing contract: DTOs and inputs shared by the API and the portal, and `computeInvoiceWithRules`, the one
 * function both the server (when it issues) and the portal (live preview) use to turn lines and tax rules into
 * amounts. Runtime-neutral.
 */
import { z } from "zod";
import { CountryCodeSchema } from "./countries";
import { CURRENCY_CODES, currency } from "./currencies";
import {
  computeInvoice, exceedsUnits, INVOICE_TOO_LARGE_MESSAGE, LINE_TOO_LARGE_MESSAGE, MAX_AMOUNT, MAX_DECIMAL_TEXT_LENGTH, MAX_QUANTITY, multiply, parseDecimal,
  percentToPpm, tooLargeMessage, type ComputedInvoice, type Decimal,
} from "./money";
import { inCurrency, NamedRefSchema, OrgRefSchema } from "./dto";
import { PartySchema, SellerSchema } from "./invoice-details";
import { IsoDateSchema, PageQuerySchema } from "./schemas";

export const ROUNDING_RULE_TEXT =
  "Each line is quantity × unit price rounded half-up to the Billing Precision. The subtotal is rounded once to the currency's minor unit; tax is computed per invoice per tax rule on the taxable lines and rounded half-up once; total = subtotal + taxes. Line amounts are allocated so they add up to the subtotal exactly.";

// ---------------------------------------------------------------------------------------------- settings

export const BillingSettingsSchema = z.object({
  currency: z.string(),
  currencyExponent: z.number().int(),
  precision: z.number().int(),
  paymentTermsDays: z.number().int(),
  invoicePrefix: z.string(),
  /** True once an invoice exists: currency and precision can no longer change. */
  locked: z.boolean(),
  roundingRule: z.string(),
  updatedAt: z.string(),
});
export type BillingSettings = z.infer<typeof BillingSettingsSchema>;

export const UpdateBillingSettingsInput = z
  .object({
    currency: z.string({ error: "Choose a currency." }).refine((c) => CURRENCY_CODES.includes(c), "Choose a currency from the list."),
    precision: z.coerce.number({ error: "Enter a number from 0 to 6." }).int("Enter a whole number.").min(0, "Enter a number from 0 to 6.").max(6, "Enter a number from 0 to 6."),
    paymentTermsDays: z.coerce.number({ error: "Enter a number of days." }).int("Enter a whole number of days.").min(0, "Enter 0 or more days.").max(365, "Enter at most 365 days."),
    invoicePrefix: z.string({ error: "Enter a prefix." }).trim().regex(/^[A-Z0-9]{1,10}$/, "Use 1 to 10 capital letters or digits."),
  })
  .superRefine((v, ctx) => {
    if (CURRENCY_CODES.includes(v.currency) && v.precision < currency(v.currency).exponent) {
      ctx.addIssue({ code: "custom", path: ["precision"], message: `${v.currency} has ${currency(v.currency).exponent} decimals: the precision must be at least that.` });
    }
  });
export type UpdateBillingSettingsInput = z.infer<typeof UpdateBillingSettingsInput>;

// ---------------------------------------------------------------------------------------------- tax rules

export const TaxRuleSchema = z.object({
  id: z.string(),
  name: z.string(),
  country: z.string(),
  status: z.enum(["active", "suspended"]),
  /** The rate in force today ("Tax Rate %"). */
  ratePercent: z.string(),
  /** The last scheduled change, if any: the rate and the date it takes effect. */
  scheduled: z.object({ ratePercent: z.string(), effectiveFrom: z.string() }).nullable(),
  /** Every scheduled change (effective after today), earliest first. */
  pending: z.array(z.object({ ratePercent: z.string(), effectiveFrom: z.string() })),
  versions: z.array(z.object({ id: z.string(), ratePercent: z.string(), effectiveFrom: z.string() })),
  updatedAt: z.string(),
});
export type TaxRule = z.infer<typeof TaxRuleSchema>;

const RatePercentSchema = z
  .string({ error: "Enter a rate from 0 to 100." })
  .trim()
  .refine((v) => /^\d{1,3}(\.\d{1,4})?$/.test(v) && percentToPpm(v) !== null, "Enter a rate from 0 to 100 with at most 4 decimals.");

export const TaxRuleInput = z.object({
  name: z.string({ error: "Enter a rule name." }).trim().min(1, "Enter a rule name.").max(100, "Use at most 100 characters."),
  country: CountryCodeSchema,
  ratePercent: RatePercentSchema,
  status: z.enum(["active", "suspended"], { error: "Choose Active or Suspend." }),
  /** When a new rate takes effect (`YYYY-MM-DD`); defaults to today. Never earlier than today. */
  effectiveFrom: IsoDateSchema.optional(),
});
export type TaxRuleInput = z.infer<typeof TaxRuleInput>;

/** The Edit drawer: as Create, plus removing the scheduled rate change(s) on purpose (they are kept otherwise). */
export const TaxRuleUpdateInput = TaxRuleInput.extend({
  removeScheduled: z.boolean({ error: "Choose whether to remove the scheduled change." }).optional(),
});
export type TaxRuleUpdateInput = z.infer<typeof TaxRuleUpdateInput>;

// ---------------------------------------------------------------------------------------------- invoices

export const INVOICE_STATUSES = ["draft", "unpaid", "paid", "cancelled"] as const;
export type InvoiceStatus = (typeof INVOICE_STATUSES)[number];

export const InvoiceSummarySchema = z.object({
  id: z.string(),
  number: z.string().nullable(),
  org: OrgRefSchema,
  kind: z.enum(["subscription", "manual"]),
  status: z.enum(INVOICE_STATUSES),
  ...inCurrency,
  subtotalMinor: z.number().int(),
  taxMinor: z.number().int(),
  totalMinor: z.number().int(),
  amountPaidMinor: z.number().int(),
  /** Sum of the frozen tax rates, e.g. "20" or "0". */
  taxRatePercent: z.string(),
  issueDate: z.string(),
  dueDate: z.string(),
  periodFrom: z.string(),
  periodTo: z.string(),
});
export type InvoiceSummary = z.infer<typeof InvoiceSummarySchema>;

export const InvoiceDetailSchema = InvoiceSummarySchema.extend({
  subscription: NamedRefSchema.nullable(),
  contractId: z.string().nullable(),
  precision: z.number().int(),
  roundingRule: z.string(),
  issuedAt: z.string().nullable(),
  paidAt: z.string().nullable(),
  cancelledAt: z.string().nullable(),
  lines: z.array(
    z.object({
      position: z.number().int(),
      description: z.string(),
      quantity: z.string(),
      unit: z.string(),
      unitPrice: z.string(),
      netMinor: z.number().int(),
      taxable: z.boolean(),
      periodFrom: z.string().nullable(),
      periodTo: z.string().nullable(),
      usage: z.array(z.object({ date: z.string(), quantity: z.string(), resource: z.string().nullable() })).nullable(),
    }),
  ),
  taxes: z.array(z.object({ ruleName: z.string(), ratePercent: z.string(), taxableMinor: z.number().int(), taxMinor: z.number().int() })),
  /** Money that landed (ledger postings); `paymentId` is the payment whose receipt covers it (card and wallet). */
  payments: z.array(z.object({ id: z.string(), kind: z.string(), amountMinor: z.number().int(), reference: z.string().nullable(), description: z.string().nullable(), at: z.string(), paymentId: z.string().nullable() })),
  /** Card attempts that did not pay: declined by the bank, or not completed (3-D Secure, superseded), with the reason. */
  failedAttempts: z.array(z.object({ id: z.string(), at: z.string(), method: z.string(), amountMinor: z.number().int(), outcome: z.enum(["declined", "not_completed"]), reason: z.string() })),
  /** Seller and buyer as frozen when the invoice was issued (docs/decisions/013-invoice-documents.md). */
  seller: SellerSchema.nullable(),
  buyer: PartySchema.nullable(),
  /** Set when the organization was tax exempt at issue: printed on the invoice; no tax lines. */
  taxExemptReason: z.string().nullable(),
  /** The credit note issued when the invoice was cancelled. */
  creditNote: z.object({ id: z.string(), number: z.string(), issueDate: z.string(), reason: z.string(), totalMinor: z.number().int() }).nullable(),
});
export type InvoiceDetail = z.infer<typeof InvoiceDetailSchema>;

export const InvoiceFilterSchema = z.object({
  /** Invoice number, or any part of it (case-insensitive). */
  q: z.string().trim().max(40, "Use at most 40 characters.").optional(),
  orgId: z.string().max(64).optional(),
  status: z.enum(INVOICE_STATUSES).optional(),
  from: IsoDateSchema.optional(),
  to: IsoDateSchema.optional(),
});
export const ListInvoicesInput = PageQuerySchema.extend(InvoiceFilterSchema.shape);
export type ListInvoicesInput = z.infer<typeof ListInvoicesInput>;
export type InvoiceFilter = z.infer<typeof InvoiceFilterSchema>;

const DecimalText = (label: string, max: number) =>
  z
    .string({ error: `Enter the ${label}.` })
    .trim()
    .max(MAX_DECIMAL_TEXT_LENGTH, `The ${label} is too long.`)
    .refine((v) => parseDecimal(v, max) !== null, `Enter the ${label} as a number with at most ${max} decimals.`);

const within = (max: number) => (v: string) => {
  const d = parseDecimal(v, 6);
  return !d || !exceedsUnits(d, max);
};

export const InvoiceItemInput = z.object({
  description: z.string({ error: "Enter a description." }).trim().min(1, "Enter a description.").max(200, "Use at most 200 characters."),
  quantity: DecimalText("quantity", 6)
    .refine((v) => (parseDecimal(v, 6)?.value ?? 0n) > 0n, "The quantity must be more than 0.")
    .refine(within(MAX_QUANTITY), tooLargeMessage("The quantity")),
  unit: z.string().trim().max(30).default("unit"),
  unitPrice: DecimalText("unit price", 6)
    .refine((v) => (parseDecimal(v, 6)?.value ?? -1n) >= 0n, "The unit price cannot be negative.")
    .refine(within(MAX_AMOUNT), tooLargeMessage("The unit price")),
  taxable: z.boolean().default(true),
  productId: z.string().min(1, "Choose a product from the list, or none (null).").max(64).nullable().optional(),
});
export type InvoiceItemInput = z.infer<typeof InvoiceItemInput>;

/**
 * Field messages for items whose amounts leave the storable range (money.ts): a line (quantity × unit price) or
 * the sum of the lines above MAX_AMOUNT. Items that do not parse are left to their own field checks. The API
 * and the Create Invoice form both use it.
 */
export function itemAmountProblems(items: ReadonlyArray<{ quantity: string; unitPrice: string }>): Record<string, string> {
  const problems: Record<string, string> = {};
  let sum: Decimal = { value: 0n, scale: 12 };
  for (const [i, it] of items.entries()) {
    const q = parseDecimal(it.quantity, 6);
    const p = parseDecimal(it.unitPrice, 6);
    if (!q || !p) return problems;
    const line: Decimal = { value: multiply(q, p, 12), scale: 12 };
    if (exceedsUnits(line, MAX_AMOUNT)) problems[`items.${i}.quantity`] = LINE_TOO_LARGE_MESSAGE;
    sum = { value: sum.value + line.value, scale: 12 };
  }
  if (!Object.keys(problems).length && exceedsUnits(sum, MAX_AMOUNT)) problems.items = INVOICE_TOO_LARGE_MESSAGE;
  return problems;
}

export const ManualInvoiceInput = z
  .object({
    for: z.enum(["customer", "reseller"], { error: "Choose Customer or Reseller." }),
    orgId: z.string({ error: "Choose an organization." }).min(1, "Choose an organization.").max(64),
    contractId: z.string().min(1, "Choose a contract from the list, or none (null).").max(64).nullable().optional(),
    status: z.enum(["paid", "unpaid"], { error: "Choose Paid or Unpaid." }),
    issueDate: IsoDateSchema,
    dueDate: IsoDateSchema,
    periodFrom: IsoDateSchema,
    periodTo: IsoDateSchema,
    items: z.array(InvoiceItemInput).min(1, "Add at least one item.").max(100, "At most 100 items."),
    /** The person confirmed an issue date outside ISSUE_DATE_WINDOW on purpose. */
    confirmIssueDate: z.boolean().optional(),
    /** The person confirmed that a total of zero is intended. */
    confirmZeroTotal: z.boolean().optional(),
  })
  .superRefine((v, ctx) => {
    if (v.dueDate < v.issueDate) ctx.addIssue({ code: "custom", path: ["dueDate"], message: "The due date cannot be before the issue date." });
    if (v.periodTo < v.periodFrom) ctx.addIssue({ code: "custom", path: ["periodTo"], message: "\"To\" cannot be before \"From\"." });
    for (const [field, message] of Object.entries(itemAmountProblems(v.items))) ctx.addIssue({ code: "custom", path: field.split("."), message });
  });
export type ManualInvoiceInput = z.infer<typeof ManualInvoiceInput>;

/**
 * How far from today (the server's clock) a manual invoice may be dated without an explicit confirmation: its
 * number comes from the issue year's series and it is emailed at once, so a typo (2099 for 2026) would open a
 * new number series and mail a customer a nonsense invoice.
 */
export const ISSUE_DATE_WINDOW = { monthsAhead: 1, yearsBack: 1 } as const;

const shiftMonths = (day: string, months: number) => {
  const [y, m, d] = day.split("-").map(Number) as [number, number, number];
  const last = new Date(Date.UTC(y, m - 1 + months + 1, 0)).getUTCDate();
  return new Date(Date.UTC(y, m - 1 + months, Math.min(d, last))).toISOString().slice(0, 10);
};

/** Why `issueDate` needs a confirmation (outside ISSUE_DATE_WINDOW around `today`), or null. */
export function issueDateWarning(issueDate: string, today: string): string | null {
  const earliest = shiftMonths(today, -12 * ISSUE_DATE_WINDOW.yearsBack);
  const latest = shiftMonths(today, ISSUE_DATE_WINDOW.monthsAhead);
  const consequence = `The invoice is numbered in the ${issueDate.slice(0, 4)} series and emailed at once. Check the date, or confirm it on purpose.`;
  if (issueDate > latest) return `The issue date ${issueDate} is more than a month after today (${today}). ${consequence}`;
  if (issueDate < earliest) return `The issue date ${issueDate} is more than a year before today (${today}). ${consequence}`;
  return null;
}

export const zeroTotalWarning = (total: string) =>
  `The invoice total is ${total}: issuing it still uses the next invoice number and emails the invoice. Check the quantities and prices, or confirm a zero invoice on purpose.`;

export const AdjustOfflineInput = z.object({
  markAsPaid: z.literal(true, { error: "Tick \"Mark as Paid\" to record the payment." }),
  reference: z.string({ error: "Enter the transaction reference." }).trim().min(1, "Enter the transaction reference.").max(100, "Use at most 100 characters."),
  description: z.string().trim().max(500, "Use at most 500 characters.").default(""),
});
export type AdjustOfflineInput = z.infer<typeof AdjustOfflineInput>;

export const BillingRunSchema = z.object({
  id: z.string(),
  asOf: z.string(),
  trigger: z.enum(["cron", "manual"]),
  status: z.enum(["running", "completed", "failed"]),
  totalSubscriptions: z.number().int(),
  processedSubscriptions: z.number().int(),
  invoicesCreated: z.number().int(),
  /** Invoices issued per second from the start of the run to its last page (null before any invoice). */
  invoicesPerSecond: z.number().nullable(),
  error: z.string().nullable(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
});
export type BillingRun = z.infer<typeof BillingRunSchema>;

// ---------------------------------------------------------------------------------------------- arithmetic

export interface RuleRate {
  ruleId: string;
  ruleVersionId: string;
  ruleName: string;
  ratePpm: number;
}

export interface ComputedWithRules extends ComputedInvoice {
  /** One tax line per rule (two rules at the same rate each get the tax that rate yields on the taxable lines). */
  ruleTaxes: Array<RuleRate & { taxableP: bigint; taxMinor: bigint }>;
}

/**
 * The rounding rule of money.ts applied to an invoice's lines and the tax rules in force for the billed
 * organization. Every taxable line carries every rule. `taxMinor`/`totalMinor` are the sums over rules.
 */
export function computeInvoiceWithRules(input: {
  precision: number;
  exponent: number;
  lines: Array<{ quantity: Decimal; unitPrice: Decimal; taxable: boolean }>;
  rules: RuleRate[];
}): ComputedWithRules {
  const rates = [...new Set(input.rules.map((r) => r.ratePpm))];
  const computed = computeInvoice({
    precision: input.precision,
    exponent: input.exponent,
    lines: input.lines.map((l) => ({ ...l, taxRatesPpm: l.taxable ? rates : [] })),
  });
  const ruleTaxes = input.rules.map((r) => {
    const t = computed.taxes.find((x) => x.ratePpm === r.ratePpm);
    return { ...r, taxableP: t?.taxableP ?? 0n, taxMinor: t?.taxMinor ?? 0n };
  });
  const taxMinor = ruleTaxes.reduce((a, t) => a + t.taxMinor, 0n);
  return { ...computed, ruleTaxes, taxMinor, totalMinor: computed.subtotalMinor + taxMinor };
}
