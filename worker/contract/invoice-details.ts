/**
 * Legal details on invoices (docs/decisions/013-invoice-documents.md): the operator's "Invoice Details", an
 * organization's billing details (address, VAT / tax number, tax exemption), the party snapshots frozen on
 * each invoice, and their validation (VAT number format per country, IBAN check digits, BIC). Runtime-neutral:
 * the API validates with these schemas and the portal shows the same messages.
 */
import { z } from "zod";

/** EU member states (VAT numbers carry this prefix; Greece uses "EL"). */
export const EU_COUNTRIES = new Set("AT BE BG CY CZ DE DK EE ES FI FR GR HR HU IE IT LT LU LV MT NL PL PT RO SE SI SK".split(" "));

/**
 * VAT / tax number formats, after removing spaces, dots and dashes and upper-casing. EU numbers follow the
 * VIES formats with their country prefix; elsewhere the number businesses print on invoices. Countries not
 * listed accept 4-20 letters and digits. A format check, not a registry look-up.
 */
const TAX_ID_FORMATS: Record<string, { re: RegExp; example: string }> = {
  AT: { re: /^ATU\d{8}$/, example: "ATU12345678" },
  BE: { re: /^BE[01]\d{9}$/, example: "BE0123456789" },
  BG: { re: /^BG\d{9,10}$/, example: "BG123456789" },
  CY: { re: /^CY\d{8}[A-Z]$/, example: "CY12345678L" },
  CZ: { re: /^CZ\d{8,10}$/, example: "CZ12345678" },
  DE: { re: /^DE\d{9}$/, example: "DE123456789" },
  DK: { re: /^DK\d{8}$/, example: "DK12345678" },
  EE: { re: /^EE\d{9}$/, example: "EE123456789" },
  ES: { re: /^ES[A-Z0-9]\d{7}[A-Z0-9]$/, example: "ESB12345678" },
  FI: { re: /^FI\d{8}$/, example: "FI12345678" },
  FR: { re: /^FR[A-HJ-NP-Z0-9]{2}\d{9}$/, example: "FR40303265045" },
  GR: { re: /^EL\d{9}$/, example: "EL123456789" },
  HR: { re: /^HR\d{11}$/, example: "HR12345678901" },
  HU: { re: /^HU\d{8}$/, example: "HU12345678" },
  IE: { re: /^IE(\d{7}[A-W][A-IW]?|\d[A-Z+*]\d{5}[A-W])$/, example: "IE6388047V" },
  IT: { re: /^IT\d{11}$/, example: "IT12345678901" },
  LT: { re: /^LT(\d{9}|\d{12})$/, example: "LT123456789" },
  LU: { re: /^LU\d{8}$/, example: "LU12345678" },
  LV: { re: /^LV\d{11}$/, example: "LV12345678901" },
  MT: { re: /^MT\d{8}$/, example: "MT12345678" },
  NL: { re: /^NL\d{9}B\d{2}$/, example: "NL123456789B01" },
  PL: { re: /^PL\d{10}$/, example: "PL1234567890" },
  PT: { re: /^PT\d{9}$/, example: "PT123456789" },
  RO: { re: /^RO\d{2,10}$/, example: "RO1234567" },
  SE: { re: /^SE\d{10}01$/, example: "SE123456789701" },
  SI: { re: /^SI\d{8}$/, example: "SI12345678" },
  SK: { re: /^SK\d{10}$/, example: "SK1234567890" },
  GB: { re: /^GB(\d{9}|\d{12}|GD\d{3}|HA\d{3})$/, example: "GB123456789" },
  CH: { re: /^CHE\d{9}(MWST|TVA|IVA)?$/, example: "CHE-123.456.789 MWST" },
  NO: { re: /^(NO)?\d{9}(MVA)?$/, example: "NO123456789MVA" },
  US: { re: /^\d{9}$/, example: "12-3456789" },
  CA: { re: /^\d{9}(RT\d{4})?$/, example: "123456789RT0001" },
  AU: { re: /^\d{11}$/, example: "51 824 753 556" },
  JP: { re: /^T\d{13}$/, example: "T1234567890123" },
  IN: { re: /^\d{2}[A-Z]{5}\d{4}[A-Z][1-9A-Z]Z[0-9A-Z]$/, example: "27AAPFU0939F1ZV" },
};

export const normalizeTaxId = (v: string) => v.toUpperCase().replace(/[\s.\-/]/g, "");

/** null when the number fits the country's format, else the message to show next to the field. */
export function taxIdProblem(country: string, value: string): string | null {
  const id = normalizeTaxId(value);
  const f = TAX_ID_FORMATS[country];
  if (f) return f.re.test(id) ? null : `This is not a valid ${country} VAT / tax number (for example ${f.example}).`;
  return /^[A-Z0-9]{4,20}$/.test(id) ? null : "Use 4 to 20 letters and digits.";
}

/** IBAN: country, check digits, 11-30 alphanumerics, and the ISO 7064 mod-97 check. */
export function ibanValid(value: string): boolean {
  const iban = value.toUpperCase().replace(/\s/g, "");
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/.test(iban)) return false;
  const digits = (iban.slice(4) + iban.slice(0, 4)).replace(/[A-Z]/g, (c) => String(c.charCodeAt(0) - 55));
  let rest = 0;
  for (const d of digits) rest = (rest * 10 + Number(d)) % 97;
  return rest === 1;
}

export const formatIban = (v: string) => v.toUpperCase().replace(/\s/g, "").replace(/(.{4})(?=.)/g, "$1 ");

/** The usual reason for a business customer with a VAT number in another EU country than the seller's. */
export const REVERSE_CHARGE_REASON = "Reverse charge: VAT to be accounted for by the recipient (Article 196, Council Directive 2006/112/EC)";

export function suggestsReverseCharge(sellerCountry: string | null | undefined, buyer: { country: string; taxId: string | null }): boolean {
  return !!sellerCountry && !!buyer.taxId && EU_COUNTRIES.has(sellerCountry) && EU_COUNTRIES.has(buyer.country) && sellerCountry !== buyer.country;
}

// ---------------------------------------------------------------------------------------------- snapshots

/** A party as frozen on an invoice (names as in the SQL that takes the snapshot in the issuing batch). */
export const PartySchema = z.object({
  name: z.string(),
  line1: z.string().nullable(),
  line2: z.string().nullable(),
  postalCode: z.string().nullable(),
  city: z.string().nullable(),
  region: z.string().nullable(),
  country: z.string(),
  taxId: z.string().nullable(),
  registrationNumber: z.string().nullable().optional(),
  email: z.string().nullable().optional(),
  phone: z.string().nullable().optional(),
  /** "Attn" line: the buyer's primary contact. */
  attn: z.string().nullable().optional(),
});
export type Party = z.infer<typeof PartySchema>;

/** The seller's bank and the invoice footer, as printed (the seller snapshot and Invoice Details alike). */
const paymentDto = {
  bankName: z.string().nullable(),
  iban: z.string().nullable(),
  bic: z.string().nullable(),
  accountNumber: z.string().nullable(),
  routingNumber: z.string().nullable(),
  footer: z.string().nullable(),
};

export const SellerSchema = PartySchema.extend(paymentDto);
export type Seller = z.infer<typeof SellerSchema>;

let regionNames: Intl.DisplayNames | null = null;
/** "IE" → "Ireland" (English: invoices are printed in English). */
export function countryNameEn(code: string): string {
  try {
    regionNames ??= new Intl.DisplayNames(["en"], { type: "region" });
    return regionNames.of(code) ?? code;
  } catch {
    return code;
  }
}

/** The postal address as printed: street lines, "postal code city", region, country. */
export function addressLines(p: Pick<Party, "line1" | "line2" | "postalCode" | "city" | "region" | "country">): string[] {
  return [p.line1, p.line2, [p.postalCode, p.city].filter(Boolean).join(" "), p.region, countryNameEn(p.country)].filter((l): l is string => !!l && l.trim() !== "");
}

/** Bank details for offline payment, one "label: value" per line. */
export function bankLines(s: Seller): string[] {
  return [
    s.bankName ? `Bank: ${s.bankName}` : "",
    s.iban ? `IBAN: ${formatIban(s.iban)}` : "",
    s.bic ? `BIC: ${s.bic}` : "",
    s.accountNumber ? `Account number: ${s.accountNumber}` : "",
    s.routingNumber ? `Routing number: ${s.routingNumber}` : "",
  ].filter(Boolean);
}

// ---------------------------------------------------------------------------------------------- inputs

const opt = (max: number) => z.string().trim().max(max, `Use at most ${max} characters.`).nullish().transform((v) => (v ? v : null));
const req = (label: string, max: number) => z.string({ error: `Enter the ${label}.` }).trim().min(1, `Enter the ${label}.`).max(max, `Use at most ${max} characters.`);
const CountrySchema = z.string({ error: "Choose a country." }).trim().regex(/^[A-Z]{2}$/, "Choose a country.");

/** The postal address as both forms take it. */
const addressInput = {
  addressLine1: req("address", 200),
  addressLine2: opt(200),
  postalCode: opt(20),
  city: req("city", 100),
  region: opt(100),
  country: CountrySchema,
};

function checkTaxId(v: { country: string; taxId: string | null }, ctx: z.RefinementCtx) {
  if (!v.taxId) return;
  const problem = taxIdProblem(v.country, v.taxId);
  if (problem) ctx.addIssue({ code: "custom", path: ["taxId"], message: problem });
}

/** Billing Configurations → "Invoice Details". */
export const InvoiceDetailsInput = z
  .object({
    legalName: req("legal name", 200),
    ...addressInput,
    taxId: opt(30),
    registrationNumber: opt(50),
    bankName: opt(100),
    iban: opt(42),
    bic: opt(11),
    accountNumber: opt(34),
    routingNumber: opt(20),
    footer: opt(500),
  })
  .superRefine((v, ctx) => {
    checkTaxId(v, ctx);
    if (v.iban && !ibanValid(v.iban)) ctx.addIssue({ code: "custom", path: ["iban"], message: "This IBAN is not valid (check the digits)." });
    if (v.bic && !/^[A-Z]{4}[A-Z]{2}[A-Z0-9]{2}([A-Z0-9]{3})?$/.test(v.bic.toUpperCase())) ctx.addIssue({ code: "custom", path: ["bic"], message: "A BIC has 8 or 11 letters and digits (for example AIBKIE2D)." });
    if (v.routingNumber && !/^\d{9}$/.test(v.routingNumber)) ctx.addIssue({ code: "custom", path: ["routingNumber"], message: "A routing number has 9 digits." });
    if (v.accountNumber && !/^[A-Za-z0-9 -]{4,34}$/.test(v.accountNumber)) ctx.addIssue({ code: "custom", path: ["accountNumber"], message: "Use 4 to 34 letters and digits." });
  })
  .transform((v) => ({
    ...v,
    taxId: v.taxId ? normalizeTaxId(v.taxId) : null,
    iban: v.iban ? v.iban.toUpperCase().replace(/\s/g, "") : null,
    bic: v.bic ? v.bic.toUpperCase() : null,
  }));
export type InvoiceDetailsInput = z.input<typeof InvoiceDetailsInput>;

const nullableText = z.string().nullable();
/** Address and VAT number as both DTOs show them. */
const addressDto = { addressLine1: nullableText, addressLine2: nullableText, postalCode: nullableText, city: nullableText, region: nullableText, country: z.string(), taxId: nullableText };

export const InvoiceDetailsSchema = z.object({
  configured: z.boolean(),
  legalName: z.string(),
  ...addressDto,
  addressLine1: z.string(),
  city: z.string(),
  registrationNumber: z.string().nullable(),
  ...paymentDto,
  updatedAt: z.string().nullable(),
});
export type InvoiceDetails = z.infer<typeof InvoiceDetailsSchema>;

/** Organization → "Billing Details". */
export const BillingDetailsInput = z
  .object({
    legalName: opt(200),
    ...addressInput,
    taxId: opt(30),
    taxExempt: z.boolean().default(false),
    taxExemptReason: opt(300),
  })
  .superRefine((v, ctx) => {
    checkTaxId(v, ctx);
    if (v.taxExempt && !v.taxExemptReason) ctx.addIssue({ code: "custom", path: ["taxExemptReason"], message: "Enter the reason printed on invoices (for example the reverse-charge mention)." });
  })
  .transform((v) => ({ ...v, taxId: v.taxId ? normalizeTaxId(v.taxId) : null, taxExemptReason: v.taxExempt ? v.taxExemptReason : null }));
export type BillingDetailsInput = z.input<typeof BillingDetailsInput>;

export const BillingDetailsSchema = z.object({
  legalName: nullableText,
  ...addressDto,
  taxExemptReason: z.string().nullable(),
  /** True when the organization is a business in another EU country than the operator: reverse charge applies. */
  reverseChargeSuggested: z.boolean(),
});
export type BillingDetails = z.infer<typeof BillingDetailsSchema>;
