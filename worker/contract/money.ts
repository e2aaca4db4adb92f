/**
 * Money arithmetic: exact decimals on BigInt, one rounding rule, one place where invoice totals are rounded.
 * Runtime-neutral: the server computes invoices with it and the portal previews with the very same code.
 *
 * THE RULE (docs/decisions/008-money-and-rounding.md):
 *  1. A line's net is quantity × unit price, rounded half-up to the Billing Precision P (stored as an integer
 *     count of 10^-P units, `net_p`).
 *  2. The subtotal is Σ net_p, rounded half-up once to the currency's minor unit E (P ≥ E).
 *  3. Tax is computed per invoice per rate: Σ net_p of the taxable lines at that rate × rate, rounded half-up
 *     once to E.
 *  4. total = subtotal + Σ taxes (all in minor units). Each line's displayed amount in minor units is its share
 *     of the subtotal by largest remainder, so the lines add up to the subtotal exactly.
 * "Half-up" rounds halves away from zero (−2.5 → −3), so a credit mirrors its charge.
 */

/** value × 10^-scale */
export interface Decimal {
  value: bigint;
  scale: number;
}

const TEN = 10n;
// 10^n as BigInt, computed once per n (BigInt exponentiation is slow and every rounding needs one).
const POW10: bigint[] = [];
const pow10 = (n: number) => POW10[n] ?? (POW10[n] = TEN ** BigInt(n));

/** Divides, rounding half away from zero. */
export function divRoundHalfUp(numerator: bigint, denominator: bigint): bigint {
  if (denominator === 0n) throw new RangeError("division by zero");
  const negative = numerator < 0n !== denominator < 0n;
  const n = numerator < 0n ? -numerator : numerator;
  const d = denominator < 0n ? -denominator : denominator;
  const q = n / d;
  const r = n % d;
  const rounded = r * 2n >= d ? q + 1n : q;
  return negative ? -rounded : rounded;
}

/** Re-expresses `value` (at `from` decimals) at `to` decimals, rounding half-up when decimals are dropped. */
export function rescale(value: bigint, from: number, to: number): bigint {
  if (to >= from) return value * pow10(to - from);
  return divRoundHalfUp(value, pow10(from - to));
}

const DECIMAL_PATTERN = /^(-)?(\d+)(?:\.(\d+))?$/;

/** Parses "12", "0.125", "-3.50"; null if malformed or more than `maxScale` decimals. */
export function parseDecimal(text: string, maxScale = 6): Decimal | null {
  const m = DECIMAL_PATTERN.exec(text.trim());
  if (!m) return null;
  const fraction = (m[3] ?? "").replace(/0+$/, "");
  if (fraction.length > maxScale) return null;
  const value = BigInt(`${m[2]}${fraction}`) * (m[1] ? -1n : 1n);
  return { value, scale: fraction.length };
}

export function formatDecimal(d: Decimal, minScale = 0): string {
  const negative = d.value < 0n;
  const digits = (negative ? -d.value : d.value).toString().padStart(d.scale + 1, "0");
  const whole = d.scale ? digits.slice(0, -d.scale) : digits;
  let fraction = d.scale ? digits.slice(-d.scale) : "";
  while (fraction.length > minScale && fraction.endsWith("0")) fraction = fraction.slice(0, -1);
  fraction = fraction.padEnd(minScale, "0");
  return `${negative ? "-" : ""}${whole}${fraction ? `.${fraction}` : ""}`;
}

/** quantity × unit price at `scale` decimals, half-up. */
export function multiply(a: Decimal, b: Decimal, scale: number): bigint {
  return rescale(a.value * b.value, a.scale + b.scale, scale);
}

/** Tax rates are integers in parts per million: 7.5 % = 75_000 ppm; "Tax Rate %" has at most 4 decimals. */
export const PPM_PER_PERCENT = 10_000;

export function percentToPpm(percent: string): number | null {
  const d = parseDecimal(percent, 4);
  if (!d || d.value < 0n) return null;
  const ppm = Number(rescale(d.value, d.scale, 4));
  return ppm > 100 * PPM_PER_PERCENT ? null : ppm;
}

export function ppmToPercent(ppm: number): string {
  return formatDecimal({ value: BigInt(ppm), scale: 4 });
}

/** amount (at `from` decimals) × ppm / 10^6, rounded half-up once to `to` decimals. */
export function applyRate(amount: bigint, from: number, ratePpm: number, to: number): bigint {
  // amount × ppm has scale from + 6; round once from there to `to`.
  return rescale(amount * BigInt(ratePpm), from + 6, to);
}

/**
 * Expresses amounts at `from` decimals in `to` decimals (to ≤ from) so that they add up to `total` exactly:
 * each is rounded half-up, then the difference to `total` (at most half a unit per amount) is given, one unit
 * at a time, to the amounts whose rounding moved them furthest the other way (ties: earliest first). Every
 * result stays within one unit of its exact value; with to = from nothing moves.
 */
export function allocateRounded(amounts: bigint[], from: number, to: number, total: bigint): bigint[] {
  const factor = pow10(from - to);
  const rounded = amounts.map((a) => rescale(a, from, to));
  let diff = total - rounded.reduce((a, b) => a + b, 0n);
  if (diff === 0n || amounts.length === 0) return rounded;
  // error_i = exact_i − rounded_i, in `from` units: positive means rounded down.
  const order = amounts.map((a, i) => ({ i, err: a - rounded[i]! * factor }));
  const step = diff > 0n ? 1n : -1n;
  order.sort((x, y) => {
    const d = step > 0n ? y.err - x.err : x.err - y.err;
    return d > 0n ? 1 : d < 0n ? -1 : x.i - y.i;
  });
  for (let k = 0; diff !== 0n; k = (k + 1) % order.length, diff -= step) rounded[order[k]!.i]! += step;
  return rounded;
}

export interface LineInput {
  quantity: Decimal;
  unitPrice: Decimal;
  taxable: boolean;
  /** The rate (ppm) of each tax applying to this line; several rules for one country each add their own. */
  taxRatesPpm: number[];
}

export interface ComputedInvoice {
  lines: Array<{ netP: bigint; netMinor: bigint }>;
  taxes: Array<{ ratePpm: number; taxableP: bigint; taxMinor: bigint }>;
  subtotalMinor: bigint;
  taxMinor: bigint;
  totalMinor: bigint;
}

/** The whole rule above, in one function: the server stores what it returns; the portal previews it. */
export function computeInvoice(input: { precision: number; exponent: number; lines: LineInput[] }): ComputedInvoice {
  const { precision: P, exponent: E } = input;
  if (P < E) throw new RangeError(`Billing precision ${P} is below the currency's ${E} decimals`);
  const netP = input.lines.map((l) => multiply(l.quantity, l.unitPrice, P));
  const sumP = netP.reduce((a, b) => a + b, 0n);
  const subtotalMinor = rescale(sumP, P, E);
  const netMinor = allocateRounded(netP, P, E, subtotalMinor);
  const byRate = new Map<number, bigint>();
  input.lines.forEach((l, i) => {
    if (!l.taxable) return;
    for (const rate of l.taxRatesPpm) byRate.set(rate, (byRate.get(rate) ?? 0n) + netP[i]!);
  });
  const taxes = [...byRate.entries()]
    .sort(([a], [b]) => a - b)
    .map(([ratePpm, taxableP]) => ({ ratePpm, taxableP, taxMinor: applyRate(taxableP, P, ratePpm, E) }));
  const taxMinor = taxes.reduce((a, t) => a + t.taxMinor, 0n);
  return { lines: netP.map((n, i) => ({ netP: n, netMinor: netMinor[i]! })), taxes, subtotalMinor, taxMinor, totalMinor: subtotalMinor + taxMinor };
}

// ---------------------------------------------------------------------------------------------- bounds
/**
 * THE STORABLE RANGE, one bound for every money input (ADR 008). D1 hands integers to the Worker as JS numbers,
 * exact only up to 2^53 − 1 ≈ 9.007 × 10^15, and amounts are stored at up to 6 decimals (prices, quantities,
 * line nets at the Billing Precision P ≤ 6). With
 *   - every amount a person or a producer types (unit price, top-up, free credit) at most MAX_AMOUNT,
 *   - every quantity at most MAX_QUANTITY,
 *   - every invoice line (quantity × unit price) and every invoice's subtotal at most MAX_AMOUNT,
 * the largest stored value is 10^9 × 10^6 = 10^15 (a subtotal's taxable base at P = 6), and a total with taxes
 * of up to 100 % is at most 2 × 10^12 minor units: every value stays exact with room to spare.
 * The API refuses anything beyond with VALIDATION_FAILED and a field message; the portal checks the same first.
 */
export const MAX_AMOUNT = 1_000_000_000;
export const MAX_QUANTITY = 1_000_000_000;
/** The bound as people read it, in messages. */
export const MAX_AMOUNT_TEXT = "1,000,000,000";
/** No decimal text is longer (the largest valid one, "1000000000.000000", has 17 characters). */
export const MAX_DECIMAL_TEXT_LENGTH = 30;

/** True when |d| is more than `max` whole units. */
export function exceedsUnits(d: Decimal, max: number): boolean {
  const magnitude = d.value < 0n ? -d.value : d.value;
  return magnitude > BigInt(max) * pow10(d.scale);
}

/** MAX_AMOUNT and MAX_QUANTITY are the same number, so one message serves both. */
export const tooLargeMessage = (label: string) => `${label} cannot be more than ${MAX_AMOUNT_TEXT}.`;
export const LINE_TOO_LARGE_MESSAGE = `Quantity × unit price is more than ${MAX_AMOUNT_TEXT}, the largest amount an invoice line can hold.`;
export const INVOICE_TOO_LARGE_MESSAGE = `The items add up to more than ${MAX_AMOUNT_TEXT}, the largest amount an invoice can hold.`;

/** D1 stores integers as JS numbers: refuse anything outside the exactly representable range. */
export function toSafeNumber(v: bigint): number {
  if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < BigInt(Number.MIN_SAFE_INTEGER)) throw new RangeError("amount out of range");
  return Number(v);
}

// Memo of currency symbols per locale and currency: building an Intl.NumberFormat costs tens of microseconds and
// a billing page formats thousands of amounts. Symbols never change, so the cache needs no invalidation.
const symbols = new Map<string, string | null>();

function currencySymbol(locale: string, currencyCode: string, exponent: number): string | null {
  const key = `${locale}|${currencyCode}|${exponent}`;
  let symbol = symbols.get(key);
  if (symbol === undefined) {
    try {
      const parts = new Intl.NumberFormat(locale, { style: "currency", currency: currencyCode, minimumFractionDigits: exponent, maximumFractionDigits: exponent }).formatToParts(0);
      symbol = parts.find((p) => p.type === "currency")?.value ?? currencyCode;
    } catch {
      symbol = null;
    }
    symbols.set(key, symbol);
  }
  return symbol;
}

/** Formats minor units for people: `formatMoney(12054n, "EUR", 2)` → "€120.54". */
export function formatMoney(minor: bigint | number, currencyCode: string, exponent: number, locale = "en-GB"): string {
  const text = formatDecimal({ value: BigInt(minor), scale: exponent }, exponent);
  const symbol = currencySymbol(locale, currencyCode, exponent);
  if (symbol === null) return `${text} ${currencyCode}`;
  const negative = text.startsWith("-");
  const [whole, fraction] = (negative ? text.slice(1) : text).split(".");
  const grouped = whole!.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return `${negative ? "−" : ""}${symbol}${grouped}${fraction ? `.${fraction}` : ""}`;
}
