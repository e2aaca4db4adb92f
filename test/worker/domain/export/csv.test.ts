/** The CSV writer (worker/domain/export/csv.ts) against a strict RFC 4180 parser, formula starts neutralised. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { csvField, csvRecord } from "../../../../worker/domain/export/csv";
import { INJECTIONS, parseCsv } from "../../../csv";

describe("CSV writer", () => {
  it("round-trips any text through a strict RFC 4180 parser, neutralising formula starts", () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.string(), fc.constantFrom(...INJECTIONS)), { minLength: 1, maxLength: 6 }), (fields) => {
        const parsed = parseCsv(csvRecord(fields));
        expect(parsed).toHaveLength(1);
        parsed[0]!.forEach((cell, k) => {
          const original = fields[k]!;
          const dangerous = /^[=+\-@\t\r]/.test(original) && !/^-?\d+(\.\d+)?$/.test(original);
          expect(cell).toBe(dangerous ? `'${original}` : original);
          expect(/^[=+@\t\r]/.test(cell) || (/^-/.test(cell) && !/^-?\d+(\.\d+)?$/.test(cell))).toBe(false);
        });
      }),
      { numRuns: 300 },
    );
    expect(csvField("-12.50")).toBe("-12.50");
  });
});
