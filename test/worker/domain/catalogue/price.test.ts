/** Property: any decimal the forms accept is stored and shown back exactly, at its own scale (no floats). */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MAX_PRICE_DECIMALS, ProductInput } from "../../../../worker/contract/catalogue";
import { MAX_AMOUNT } from "../../../../worker/contract/money";
import { fromStored, toStored } from "../../../../worker/domain/catalogue/price";

const base = { name: "P", description: null, model: "fixed", unit: "month", taxable: true, status: "active" } as const;

describe("exact catalogue prices", () => {
  it("round-trips every price with up to 6 decimals and refuses 7", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: BigInt(MAX_AMOUNT) * 10n ** 6n }), fc.integer({ min: 0, max: MAX_PRICE_DECIMALS }), (value, scale) => {
        const digits = value.toString().padStart(scale + 1, "0");
        const text = scale ? `${digits.slice(0, -scale)}.${digits.slice(-scale)}` : digits;
        if (value > BigInt(MAX_AMOUNT) * 10n ** BigInt(scale)) return; // beyond the storable range: refused (routes/money-bounds.error.test.ts)
        expect(ProductInput.safeParse({ ...base, unitPrice: text }).success).toBe(true);
        const stored = toStored(text, MAX_PRICE_DECIMALS);
        // Same number: compare as scaled BigInts.
        expect(BigInt(stored.value) * 10n ** BigInt(scale)).toBe(value * 10n ** BigInt(stored.scale));
        expect(toStored(fromStored(stored.value, stored.scale), MAX_PRICE_DECIMALS)).toEqual(stored);
      }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 9 }), (d) => {
        const r = ProductInput.safeParse({ ...base, unitPrice: `0.000000${d}` });
        expect(r.success).toBe(false);
      }),
    );
    for (const bad of ["1e3", "0x10", "1,5", "-0.5", "NaN", "", " ", "1.2.3"]) expect(ProductInput.safeParse({ ...base, unitPrice: bad }).success, bad).toBe(false);
  });
});
