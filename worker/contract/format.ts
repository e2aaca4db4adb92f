/**
 * How dates, quantities and prices read, for the portal and for emails alike: one helper per kind, so a date looks
 * the same in a list, a drop-down and an email for a given locale ("22 Nov 2026" in en-GB, "Nov 22, 2026" in
 * en-US). Runtime-neutral. The portal passes no locale (the reader's browser language); emails pass EMAIL_LOCALE.
 */
import { currency as currencyInfo } from "./currencies";
import { formatMoney, parseDecimal } from "./money";

/** Emails go to many readers at once and have no reader's language: they use this one. */
export const EMAIL_LOCALE = "en-GB";

export const DASH = "—";

// Intl formatters are costly to build: one per (locale, kind, time zone), built on first use.
const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(kind: "date" | "dateTime", locale: string | undefined, timeZone: string): Intl.DateTimeFormat {
  const key = `${kind}|${locale ?? ""}|${timeZone}`;
  let f = formatters.get(key);
  if (!f) {
    const options: Intl.DateTimeFormatOptions =
      kind === "date"
        ? { day: "numeric", month: "short", year: "numeric", timeZone }
        : { day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit", timeZone };
    try {
      f = new Intl.DateTimeFormat(locale ? [locale] : undefined, options);
    } catch {
      f = new Intl.DateTimeFormat(undefined, { ...options, timeZone: "UTC" });
    }
    formatters.set(key, f);
  }
  return f;
}

function toDate(value: string | number | Date): Date {
  if (value instanceof Date) return value;
  if (typeof value === "number") return new Date(value);
  return new Date(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value);
}

/**
 * A calendar date (`YYYY-MM-DD`, shown as that day whatever the time zone), or the day of a timestamp (ISO text or
 * epoch ms) in `timeZone` (UTC by default). Empty → "—"; text that is not a date is shown as it is.
 */
export function formatDate(value: string | number | Date | null | undefined, opts: { locale?: string; timeZone?: string } = {}): string {
  if (value === null || value === undefined || value === "") return DASH;
  const d = toDate(value);
  if (Number.isNaN(d.getTime())) return String(value);
  const dateOnly = typeof value === "string" && /^\d{4}-\d{2}-\d{2}$/.test(value);
  return formatter("date", opts.locale, dateOnly ? "UTC" : (opts.timeZone ?? "UTC")).format(d);
}

/** A moment: the date as `formatDate` writes it, then the time (hours and minutes) in `timeZone` (the reader's by default). */
export function formatDateTime(value: string | number | Date | null | undefined, opts: { locale?: string; timeZone?: string } = {}): string {
  if (value === null || value === undefined || value === "") return DASH;
  const d = toDate(value);
  if (Number.isNaN(d.getTime())) return String(value);
  const timeZone = opts.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone ?? "UTC";
  return formatter("dateTime", opts.locale, timeZone).format(d);
}

/** "1 month", "2 months", "0.5 GB-months", "1 unit": a quantity and its unit, the unit in the plural unless the quantity is exactly 1. */
export function formatQuantity(quantity: string, unit: string): string {
  const one = /^1(\.0*)?$/.test(quantity.trim());
  return unit ? `${quantity} ${one ? unit : pluralUnit(unit)}` : quantity;
}

function pluralUnit(unit: string): string {
  // Units are short English nouns ("month", "vCPU-hour", "GB-month", "unit", "seat"): the last word takes the plural.
  if (/(s|x|z|ch|sh)$/i.test(unit)) return /s$/i.test(unit) ? unit : `${unit}es`;
  if (/[^aeiou]y$/i.test(unit)) return `${unit.slice(0, -1)}ies`;
  return /[A-Za-z]$/.test(unit) ? `${unit}s` : unit;
}

/**
 * A unit price with its currency, exact to the decimals it was set with and never fewer than the currency has:
 * `formatUnitPrice("49", "EUR", "month")` → "€49.00 / month"; `("0.0125", "EUR", "GB-month")` → "€0.0125 / GB-month".
 */
export function formatUnitPrice(price: string, currencyCode: string, unit?: string): string {
  const d = parseDecimal(price, 18);
  if (!d) return unit ? `${price} / ${unit}` : price;
  const exponent = currencyInfo(currencyCode).exponent;
  const scale = Math.max(d.scale, exponent);
  const amount = formatMoney(d.value * 10n ** BigInt(scale - d.scale), currencyCode, scale);
  return unit ? `${amount} / ${unit}` : amount;
}

/** Ends `text` with a full stop unless it already ends a sentence ("… for Kestrel Analytics Inc." stays as it is). */
export function sentence(text: string): string {
  const t = text.trimEnd();
  return /[.!?…]$/.test(t) ? t : `${t}.`;
}
