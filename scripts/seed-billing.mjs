/**
 * Billing demo data for scripts/seed.mjs: the default Currency Settings (EUR, Billing Precision 4, 14 days,
 * prefix INV) and tax rules for the seeded organizations' countries. Idempotent: stable ids, ON CONFLICT DO
 * NOTHING, so settings or rules changed in the portal survive re-seeding. (Invoices: scripts/seed-history.ts.)
 */
const q = (v) => (v === null || v === undefined ? "NULL" : typeof v === "number" ? String(v) : `'${String(v).replace(/'/g, "''")}'`);

export const SEED_BILLING_SETTINGS = { currency: "EUR", precision: 4, paymentTermsDays: 14, invoicePrefix: "INV" };

// Rates in parts per million (19 % = 190000), effective from the start of 2026.
const FROM = "2026-01-01";
export const SEED_TAX_RULES = [
  { key: "gb-vat", name: "UK VAT", country: "GB", ratePpm: 200_000, effectiveFrom: FROM },
  { key: "ch-mwst", name: "Swiss VAT (MWST)", country: "CH", ratePpm: 81_000, effectiveFrom: FROM },
  { key: "ie-vat", name: "Irish VAT", country: "IE", ratePpm: 230_000, effectiveFrom: FROM },
  { key: "ar-iva", name: "IVA Argentina", country: "AR", ratePpm: 210_000, effectiveFrom: FROM },
  { key: "cl-iva", name: "IVA Chile", country: "CL", ratePpm: 190_000, effectiveFrom: FROM },
  { key: "pe-igv", name: "IGV Peru", country: "PE", ratePpm: 180_000, effectiveFrom: FROM },
  // US: no federal VAT; a state-like sales tax example, suspended (Kestrel Analytics is billed without tax).
  { key: "us-tx", name: "Texas sales tax (example)", country: "US", ratePpm: 62_500, status: "suspended", effectiveFrom: FROM },
];

/** @param {{ seedId: (prefix: string, key: string) => string, seededAt: number }} deps */
export function billingSeedStatements({ seedId, seededAt }) {
  const statements = [
    `INSERT INTO billing_settings (id, currency, precision, payment_terms_days, invoice_prefix, updated_at) VALUES (1, ${q(SEED_BILLING_SETTINGS.currency)}, ${SEED_BILLING_SETTINGS.precision}, ${SEED_BILLING_SETTINGS.paymentTermsDays}, ${q(SEED_BILLING_SETTINGS.invoicePrefix)}, ${seededAt}) ON CONFLICT (id) DO NOTHING;`,
  ];
  for (const r of SEED_TAX_RULES) {
    const id = seedId("tax", r.key);
    statements.push(
      `INSERT INTO tax_rules (id, name, country, status, deleted_at, created_at, updated_at) VALUES (${q(id)}, ${q(r.name)}, ${q(r.country)}, ${q(r.status ?? "active")}, NULL, ${seededAt}, ${seededAt}) ON CONFLICT (id) DO NOTHING;`,
      `INSERT INTO tax_rule_versions (id, rule_id, rate_ppm, effective_from, created_at) VALUES (${q(seedId("txv", r.key))}, ${q(id)}, ${r.ratePpm}, ${q(r.effectiveFrom)}, ${seededAt}) ON CONFLICT DO NOTHING;`,
    );
  }
  return statements;
}
