/** Wallet amounts (worker/domain/wallet/amount.ts): parsed exactly into minor units for every currency exponent. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseAmountMinor } from "../../../../worker/domain/wallet/amount";
import { DomainError } from "../../../../worker/errors";

describe("wallet amounts", () => {
  it("amount parsing is exact for every currency exponent (property)", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: 10n ** 9n }), fc.integer({ min: 0, max: 4 }), fc.integer({ min: 0, max: 4 }), (minor, exponent, extraZeros) => {
        const digits = minor.toString().padStart(exponent + 1, "0");
        const text = exponent ? `${digits.slice(0, -exponent)}.${digits.slice(-exponent)}${"0".repeat(extraZeros)}` : digits;
        expect(parseAmountMinor(text, exponent)).toBe(Number(minor));
      }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 1, max: 9 }), (exponent, digit) => {
        const tooPrecise = `1.${"0".repeat(exponent)}${digit}`;
        expect(() => parseAmountMinor(tooPrecise, exponent)).toThrow(DomainError);
      }),
    );
  });
});
