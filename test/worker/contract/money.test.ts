/**
 * Property tests of the money arithmetic against an independent BigInt reference, for every Billing Precision
 * 0-6 and many tax rates: lines add up to the subtotal, total = subtotal + taxes, rounding is half-up at the
 * documented points only, and no line moves by a whole minor unit or more.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CURRENCIES, currency } from "../../../worker/contract/currencies";
import {
  allocateRounded,
  computeInvoice,
  divRoundHalfUp,
  formatDecimal,
  formatMoney,
  parseDecimal,
  percentToPpm,
  ppmToPercent,
  rescale,
  type Decimal,
} from "../../../worker/contract/money";

/** Reference half-up (away from zero) division, written independently: sign × ⌊(2|n| + d) / 2d⌋. */
function refRound(n: bigint, d: bigint): bigint {
  const sign = (n < 0n) !== (d < 0n) ? -1n : 1n;
  const an = n < 0n ? -n : n;
  const ad = d < 0n ? -d : d;
  return sign * ((2n * an + ad) / (2n * ad));
}
const p10 = (n: number) => 10n ** BigInt(n);

const decimalArb = (maxScale: number, maxValue: bigint) =>
  fc.record({ value: fc.bigInt({ min: -maxValue, max: maxValue }), scale: fc.integer({ min: 0, max: maxScale }) }) as fc.Arbitrary<Decimal>;
const positiveDecimalArb = (maxScale: number, maxValue: bigint) =>
  fc.record({ value: fc.bigInt({ min: 0n, max: maxValue }), scale: fc.integer({ min: 0, max: maxScale }) }) as fc.Arbitrary<Decimal>;
const ratesArb = fc.array(fc.integer({ min: 0, max: 1_000_000 }), { maxLength: 3 });

describe("rounding primitives", () => {
  it("divRoundHalfUp matches the reference for all signs", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }), fc.bigInt({ min: 1n, max: 10n ** 9n }), fc.boolean(), (n, d, negD) => {
        const den = negD ? -d : d;
        expect(divRoundHalfUp(n, den)).toBe(refRound(n, den));
      }),
      { numRuns: 2000 },
    );
    expect(divRoundHalfUp(5n, 2n)).toBe(3n);
    expect(divRoundHalfUp(-5n, 2n)).toBe(-3n);
    expect(divRoundHalfUp(4n, 3n)).toBe(1n);
  });

  it("parse/format round-trips decimals and refuses too many decimals", () => {
    fc.assert(
      fc.property(decimalArb(6, 10n ** 15n), (d) => {
        const parsed = parseDecimal(formatDecimal(d), 6)!;
        expect(rescale(parsed.value, parsed.scale, 6)).toBe(rescale(d.value, d.scale, 6));
      }),
    );
    expect(parseDecimal("1.0000001", 6)).toBeNull();
    expect(parseDecimal("1e3")).toBeNull();
    expect(parseDecimal("12.50")).toEqual({ value: 125n, scale: 1 });
    expect(formatDecimal({ value: 5n, scale: 3 }, 2)).toBe("0.005");
    expect(formatDecimal({ value: 1200n, scale: 2 }, 2)).toBe("12.00");
  });

  it("tax rates: 0-100 % with up to 4 decimals, stored in ppm", () => {
    expect(percentToPpm("7.5")).toBe(75_000);
    expect(percentToPpm("19.0001")).toBe(190_001);
    expect(percentToPpm("100")).toBe(1_000_000);
    expect(percentToPpm("100.0001")).toBeNull();
    expect(percentToPpm("-1")).toBeNull();
    expect(percentToPpm("1.00001")).toBeNull();
    expect(ppmToPercent(75_000)).toBe("7.5");
  });

  it("allocateRounded always sums to the total and keeps each amount within one unit", () => {
    fc.assert(
      fc.property(fc.array(fc.bigInt({ min: -(10n ** 12n), max: 10n ** 12n }), { minLength: 1, maxLength: 30 }), fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 6 }), (amounts, a, b) => {
        const [to, from] = a <= b ? [a, b] : [b, a];
        const total = refRound(amounts.reduce((x, y) => x + y, 0n), p10(from - to));
        const parts = allocateRounded(amounts, from, to, total);
        expect(parts.reduce((x, y) => x + y, 0n)).toBe(total);
        parts.forEach((part, i) => {
          const delta = part * p10(from - to) - amounts[i]!;
          expect(delta < 0n ? -delta : delta).toBeLessThan(p10(from - to));
        });
        if (from === to) expect(parts).toEqual(amounts);
      }),
      { numRuns: 1000 },
    );
  });
});

describe("computeInvoice (the documented rule)", () => {
  it("agrees with the reference for precisions 0-6, exponents 0/2/3 and many rates", () => {
    const scenario = fc
      .record({ exponent: fc.constantFrom(0, 2, 3), extra: fc.integer({ min: 0, max: 6 }) })
      .chain(({ exponent, extra }) =>
        fc.record({
          exponent: fc.constant(exponent),
          precision: fc.constant(Math.min(6, exponent + extra)),
          lines: fc.array(
            fc.record({ quantity: positiveDecimalArb(6, 10n ** 9n), unitPrice: decimalArb(6, 10n ** 9n), taxable: fc.boolean(), taxRatesPpm: ratesArb }),
            { minLength: 1, maxLength: 12 },
          ),
        }),
      );
    fc.assert(
      fc.property(scenario, ({ exponent: E, precision: P, lines }) => {
        const result = computeInvoice({ precision: P, exponent: E, lines });
        // 1. each line: quantity × price rounded half-up to P
        const refNetP = lines.map((l) => refRound(l.quantity.value * l.unitPrice.value * p10(P), p10(l.quantity.scale + l.unitPrice.scale)));
        expect(result.lines.map((l) => l.netP)).toEqual(refNetP);
        // 2. subtotal rounded once to E
        const refSubtotal = refRound(refNetP.reduce((a, b) => a + b, 0n), p10(P - E));
        expect(result.subtotalMinor).toBe(refSubtotal);
        // lines add up to the subtotal exactly, each within one minor unit of its exact value
        expect(result.lines.reduce((a, l) => a + l.netMinor, 0n)).toBe(result.subtotalMinor);
        result.lines.forEach((l) => {
          const delta = l.netMinor * p10(P - E) - l.netP;
          expect(delta < 0n ? -delta : delta).toBeLessThan(p10(P - E));
        });
        // 3. tax per rate: rounded once per invoice per rate
        const rates = new Set(lines.filter((l) => l.taxable).flatMap((l) => l.taxRatesPpm));
        expect(result.taxes.map((t) => t.ratePpm)).toEqual([...rates].sort((a, b) => a - b));
        for (const t of result.taxes) {
          const base = lines.reduce((a, l, i) => (l.taxable && l.taxRatesPpm.includes(t.ratePpm) ? a + refNetP[i]! * BigInt(l.taxRatesPpm.filter((r) => r === t.ratePpm).length) : a), 0n);
          expect(t.taxableP).toBe(base);
          expect(t.taxMinor).toBe(refRound(base * BigInt(t.ratePpm), p10(P - E + 6)));
        }
        // 4. total = subtotal + taxes
        expect(result.totalMinor).toBe(result.subtotalMinor + result.taxes.reduce((a, t) => a + t.taxMinor, 0n));
      }),
      { numRuns: 3000 },
    );
  });

  it("a known case: VAT 19 % on three lines at precision 4 in EUR", () => {
    const d = (s: string) => parseDecimal(s)!;
    const r = computeInvoice({
      precision: 4,
      exponent: 2,
      lines: [
        { quantity: d("730"), unitPrice: d("0.0125"), taxable: true, taxRatesPpm: [190_000] }, // 9.1250
        { quantity: d("1"), unitPrice: d("49.99"), taxable: true, taxRatesPpm: [190_000] }, // 49.9900
        { quantity: d("3"), unitPrice: d("0.3333"), taxable: false, taxRatesPpm: [] }, // 0.9999
      ],
    });
    expect(r.lines.map((l) => l.netP)).toEqual([91_250n, 499_900n, 9_999n]);
    expect(r.subtotalMinor).toBe(6011n); // 60.1149 → 60.11
    expect(r.lines.reduce((a, l) => a + l.netMinor, 0n)).toBe(6011n);
    expect(r.taxes).toEqual([{ ratePpm: 190_000, taxableP: 591_150n, taxMinor: 1123n }]); // 59.115 × 19 % = 11.23185 → 11.23
    expect(r.totalMinor).toBe(7134n);
  });

  it("refuses a precision below the currency's minor unit", () => {
    expect(() => computeInvoice({ precision: 1, exponent: 2, lines: [] })).toThrow(RangeError);
  });
});

describe("currencies and formatting", () => {
  it("has ISO 4217 exponents for zero- and three-decimal currencies", () => {
    expect(currency("JPY").exponent).toBe(0);
    expect(currency("KWD").exponent).toBe(3);
    expect(currency("EUR").exponent).toBe(2);
    expect(CURRENCIES.length).toBeGreaterThan(150);
    expect(new Set(CURRENCIES.map((c) => c.code)).size).toBe(CURRENCIES.length);
  });

  it("formats minor units with the currency symbol", () => {
    expect(formatMoney(12054n, "EUR", 2)).toBe("€120.54");
    expect(formatMoney(-500, "JPY", 0)).toBe("−JP¥500");
    expect(formatMoney(1234567, "USD", 2)).toBe("US$12,345.67");
  });
});
