/**
 * Billing: settings, tax rules, invoices, the billing run, usage, and the double-entry ledger behind wallets and
 * "Transaction Logs". Money columns are INTEGER minor units of the invoice/ledger currency (`*_minor`), or
 * INTEGER units of 10^-precision (`*_p`) for amounts at Billing Precision. Never REAL.
 * See docs/decisions/008-money-and-rounding.md and 009-invoices-and-ledger.md.
 */
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { amount, created, createdAt, flag, id, minor, timestamps, totals, updatedAt } from "./columns";
import { contracts, orgRef, products, resources, resourceSubscriptions } from "./core";

/** The invoice a row belongs to (required). */
export const invoiceRef = () => text("invoice_id").notNull().references(() => invoices.id);

/** An exact decimal quantity: `quantity_value × 10^-quantity_scale` (usage as metered, and as invoiced). */
const quantity = () => ({ quantityValue: integer("quantity_value").notNull(), quantityScale: integer("quantity_scale").notNull() });

/** One row (id = 1): platform-wide billing configuration ("Billing Configurations"). */
export const billingSettings = sqliteTable("billing_settings", {
  id: integer("id").primaryKey(),
  /** ISO 4217; locked once the first invoice exists. */
  currency: text("currency").notNull(),
  /** "Billing Precision": decimals used in charge calculations (0-6, ≥ the currency's minor unit). */
  precision: integer("precision").notNull(),
  /** Due date = issue date + this many days. */
  paymentTermsDays: integer("payment_terms_days").notNull().default(14),
  /** Invoice number prefix; numbers are `<prefix>-<year>-<6 digits>`, gapless per (prefix, year). */
  invoicePrefix: text("invoice_prefix").notNull().default("INV"),
  updatedAt: updatedAt(),
});

/**
 * One row (id = 1): the operator's "Invoice Details" in Billing Configurations: the seller as printed on
 * invoices and credit notes (legal name, postal address, VAT number, company registration, bank details for
 * offline payment, footer). Copied into each invoice when it is issued (`invoices.seller`).
 */
export const invoiceDetails = sqliteTable("invoice_details", {
  id: integer("id").primaryKey(),
  legalName: text("legal_name").notNull(),
  addressLine1: text("address_line1").notNull(),
  addressLine2: text("address_line2"),
  postalCode: text("postal_code"),
  city: text("city").notNull(),
  region: text("region"),
  country: text("country").notNull(),
  taxId: text("tax_id"),
  registrationNumber: text("registration_number"),
  bankName: text("bank_name"),
  iban: text("iban"),
  bic: text("bic"),
  accountNumber: text("account_number"),
  routingNumber: text("routing_number"),
  footer: text("footer"),
  updatedAt: updatedAt(),
});

export const taxRules = sqliteTable(
  "tax_rules",
  {
    id: id(),
    name: text("name").notNull(),
    /** ISO 3166-1 alpha-2 of the billed organization. */
    country: text("country").notNull(),
    status: text("status", { enum: ["active", "suspended"] }).notNull(),
    /** Soft delete: issued invoices keep their frozen copy of the rule; the rule stops applying. */
    deletedAt: integer("deleted_at"),
    ...timestamps(),
  },
  (t) => [index("tax_rules_country_idx").on(t.country, t.status)],
);

/** Rate history of a rule: editing a rate adds a version effective from a date (scheduled, never retroactive). */
export const taxRuleVersions = sqliteTable(
  "tax_rule_versions",
  {
    id: id(),
    ruleId: text("rule_id").notNull().references(() => taxRules.id),
    /** Parts per million: 19 % = 190000. */
    ratePpm: integer("rate_ppm").notNull(),
    /** `YYYY-MM-DD`: applies to invoices issued on or after this date. */
    effectiveFrom: text("effective_from").notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("tax_rule_versions_rule_from_uq").on(t.ruleId, t.effectiveFrom)],
);

export const invoices = sqliteTable(
  "invoices",
  {
    id: id(),
    orgId: orgRef(),
    /** Null for manual invoices. */
    subscriptionId: text("subscription_id").references(() => resourceSubscriptions.id),
    contractId: text("contract_id").references(() => contracts.id),
    kind: text("kind", { enum: ["subscription", "manual"] }).notNull(),
    /** Assigned when issued, in the same batch: `INV-2026-000123`. Drafts have none. */
    number: text("number"),
    series: text("series"),
    /** draft → unpaid → paid; unpaid/paid → cancelled (a void: the record and its number stay). */
    status: text("status", { enum: ["draft", "unpaid", "paid", "cancelled"] }).notNull(),
    /** For the payments issue: where an online collection stands (none until card payments exist). */
    paymentState: text("payment_state", { enum: ["none", "processing", "action_required", "failed"] }).notNull().default("none"),
    issueDate: text("issue_date").notNull(),
    dueDate: text("due_date").notNull(),
    periodFrom: text("period_from").notNull(),
    periodTo: text("period_to").notNull(),
    currency: text("currency").notNull(),
    /** Billing Precision and rounding rule frozen at issue, so the invoice recomputes the same way forever. */
    precision: integer("precision").notNull(),
    roundingRule: text("rounding_rule").notNull().default("v1-half-up-per-rate"),
    ...totals(),
    amountPaidMinor: minor("amount_paid_minor").default(0),
    /** JSON snapshots taken in the issuing batch (seller from invoice_details, buyer from the organization): the
     * invoice keeps the names, addresses and VAT numbers it was issued with. Null on invoices issued before. */
    seller: text("seller"),
    buyer: text("buyer"),
    /** Frozen like the rates: the organization's tax exemption when the invoice was issued (then no tax lines). */
    taxExemptReason: text("tax_exempt_reason"),
    billingRunId: text("billing_run_id"),
    issuedAt: integer("issued_at"),
    paidAt: integer("paid_at"),
    cancelledAt: integer("cancelled_at"),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex("invoices_number_uq").on(t.number),
    // Exactly one invoice per Resource Subscription per billing period (re-runs and overlapping runs are no-ops).
    uniqueIndex("invoices_subscription_period_uq").on(t.subscriptionId, t.periodFrom, t.periodTo),
    index("invoices_org_issue_idx").on(t.orgId, t.issueDate),
    index("invoices_status_issue_idx").on(t.status, t.issueDate),
    index("invoices_issue_idx").on(t.issueDate),
    // Keyset pagination of the CSV export (issue date, id).
    index("invoices_issue_id_idx").on(t.issueDate, t.id),
  ],
);

export const invoiceLines = sqliteTable(
  "invoice_lines",
  {
    id: id(),
    invoiceId: invoiceRef(),
    position: integer("position").notNull(),
    description: text("description").notNull(),
    productId: text("product_id").references(() => products.id),
    resourceId: text("resource_id").references(() => resources.id),
    /** The quantity and its unit (e.g. "vCPU-hour"). */
    ...quantity(),
    unit: text("unit").notNull(),
    unitPriceValue: integer("unit_price_value").notNull(),
    unitPriceScale: integer("unit_price_scale").notNull(),
    /** quantity × unit price at the invoice's precision (units of 10^-precision). */
    netP: integer("net_p").notNull(),
    /** This line's share of the subtotal in minor units (lines add up to the subtotal exactly). */
    netMinor: minor("net_minor"),
    taxable: flag("taxable"),
    periodFrom: text("period_from"),
    periodTo: text("period_to"),
    /** JSON: the resource consumption behind a usage charge (records, dates, quantities). */
    usageDetails: text("usage_details"),
  },
  (t) => [index("invoice_lines_invoice_idx").on(t.invoiceId, t.position)],
);

/** One row per tax rate on an invoice: the rule, version and rate frozen at issue. */
export const invoiceTaxes = sqliteTable(
  "invoice_taxes",
  {
    invoiceId: invoiceRef(),
    ruleId: text("rule_id").notNull(),
    ruleVersionId: text("rule_version_id").notNull(),
    ruleName: text("rule_name").notNull(),
    ratePpm: integer("rate_ppm").notNull(),
    taxableP: integer("taxable_p").notNull(),
    taxMinor: minor("tax_minor"),
  },
  (t) => [primaryKey({ columns: [t.invoiceId, t.ruleId] })],
);

/**
 * A credit note cancels an issued invoice in full (docs/decisions/013-invoice-documents.md): its own gapless
 * series (`CN-<year>-<000001>`, numbered like invoices through invoice_number_series), the credited amounts,
 * and a reference to the invoice, whose frozen lines it reverses. Immutable (triggers).
 */
export const creditNotes = sqliteTable(
  "credit_notes",
  {
    id: id(),
    number: text("number").notNull(),
    series: text("series").notNull(),
    invoiceId: invoiceRef(),
    orgId: orgRef(),
    issueDate: text("issue_date").notNull(),
    reason: text("reason").notNull(),
    currency: text("currency").notNull(),
    ...totals(),
    ...created(),
  },
  (t) => [uniqueIndex("credit_notes_number_uq").on(t.number), uniqueIndex("credit_notes_invoice_uq").on(t.invoiceId), index("credit_notes_org_idx").on(t.orgId, t.issueDate)],
);

/** Gapless numbering: the next number per series, advanced in the same batch that issues an invoice. */
export const invoiceNumberSeries = sqliteTable("invoice_number_series", {
  series: text("series").primaryKey(),
  nextNumber: integer("next_number").notNull(),
});

/** Metered consumption for pay-as-you-go subscriptions, billed in arrears. */
export const usageRecords = sqliteTable(
  "usage_records",
  {
    id: id(),
    orgId: orgRef(),
    subscriptionId: text("subscription_id").notNull().references(() => resourceSubscriptions.id),
    resourceId: text("resource_id").references(() => resources.id),
    productId: text("product_id").notNull().references(() => products.id),
    ...quantity(),
    /** `YYYY-MM-DD` the consumption belongs to. */
    usageDate: text("usage_date").notNull(),
    /** Producer's key: the same record sent twice is stored once. */
    idempotencyKey: text("idempotency_key").notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("usage_records_idempotency_uq").on(t.idempotencyKey), index("usage_records_sub_date_idx").on(t.subscriptionId, t.usageDate)],
);

export const billingRuns = sqliteTable(
  "billing_runs",
  {
    id: id(),
    /** Bill every period that has started (fixed fees) or ended (usage) on or before this date. */
    asOf: text("as_of").notNull(),
    trigger: text("trigger", { enum: ["cron", "manual"] }).notNull(),
    triggeredBy: text("triggered_by"),
    status: text("status", { enum: ["running", "completed", "failed"] }).notNull(),
    totalSubscriptions: integer("total_subscriptions").notNull(),
    processedSubscriptions: integer("processed_subscriptions").notNull().default(0),
    invoicesCreated: integer("invoices_created").notNull().default(0),
    /** Last subscription id processed (pages go in id order): a crashed run resumes after it. */
    cursor: text("cursor"),
    error: text("error"),
    startedAt: integer("started_at").notNull(),
    finishedAt: integer("finished_at"),
    /** Last progress (ms): a running run without progress for a while is resumed from its cursor by the cron. */
    heartbeatAt: integer("heartbeat_at"),
  },
  (t) => [index("billing_runs_started_idx").on(t.startedAt)],
);

/**
 * The ledger: every money movement is one transaction (the row "Transaction Logs" shows) whose entries
 * balance (Σ amount_minor = 0 per transaction). Append-only (triggers); corrections are new transactions.
 */
export const ledgerTransactions = sqliteTable(
  "ledger_transactions",
  {
    id: id(),
    orgId: orgRef(),
    kind: text("kind", {
      enum: ["invoice_issued", "invoice_cancelled", "offline_payment", "card_payment", "wallet_topup", "free_credit", "wallet_payment", "free_credit_expired", "refund", "adjustment"],
    }).notNull(),
    /** For people: in = money or credit coming to the operator/customer wallet; out = refunds, expiries, reversals. */
    direction: text("direction", { enum: ["in", "out", "none"] }).notNull(),
    ...amount(),
    status: text("status", { enum: ["pending", "completed", "failed"] }).notNull().default("completed"),
    invoiceId: text("invoice_id").references(() => invoices.id),
    gateway: text("gateway"),
    reference: text("reference"),
    description: text("description"),
    actorUserId: text("actor_user_id"),
    /** One transaction per business event: retries of the same event are no-ops. */
    idempotencyKey: text("idempotency_key").notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("ledger_transactions_idempotency_uq").on(t.idempotencyKey),
    index("ledger_transactions_org_created_idx").on(t.orgId, t.createdAt),
    index("ledger_transactions_created_idx").on(t.createdAt),
    index("ledger_transactions_invoice_idx").on(t.invoiceId),
  ],
);

export const LEDGER_ACCOUNTS = ["receivable", "revenue", "tax_payable", "cash", "wallet_paid", "wallet_free", "promotions"] as const;

export const ledgerEntries = sqliteTable(
  "ledger_entries",
  {
    id: id(),
    transactionId: text("transaction_id").notNull().references(() => ledgerTransactions.id),
    orgId: text("org_id").notNull(),
    /** receivable, revenue, tax_payable, cash, wallet_paid, wallet_free, promotions. */
    account: text("account", { enum: LEDGER_ACCOUNTS }).notNull(),
    /** Signed: debit positive, credit negative. */
    ...amount(),
    createdAt: createdAt(),
  },
  (t) => [index("ledger_entries_org_account_idx").on(t.orgId, t.account), index("ledger_entries_transaction_idx").on(t.transactionId)],
);

/** Free-credit grants with an optional expiry (paid credit never expires). Balances come from the ledger. */
export const walletGrants = sqliteTable(
  "wallet_grants",
  {
    id: id(),
    orgId: orgRef(),
    transactionId: text("transaction_id").notNull().references(() => ledgerTransactions.id),
    amountMinor: minor("amount_minor"),
    remainingMinor: minor("remaining_minor"),
    expiresAt: text("expires_at"),
    createdAt: createdAt(),
  },
  (t) => [index("wallet_grants_org_idx").on(t.orgId, t.expiresAt)],
);
