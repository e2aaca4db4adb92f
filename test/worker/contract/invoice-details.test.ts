/** The format checks of Invoice and Billing Details (worker/contract/invoice-details.ts): VAT numbers per country, IBAN check digits. */
import { describe, expect, it } from "vitest";
import { ibanValid, taxIdProblem } from "../../../worker/contract/invoice-details";

describe("format checks", () => {
  it("checks VAT numbers per country and IBAN check digits", () => {
    expect(taxIdProblem("IE", "IE6388047V")).toBeNull();
    expect(taxIdProblem("DE", "DE123456789")).toBeNull();
    expect(taxIdProblem("GR", "EL123456789")).toBeNull();
    expect(taxIdProblem("DE", "DE12345678")).toMatch(/DE VAT/);
    expect(taxIdProblem("FR", "DE123456789")).toMatch(/FR VAT/);
    expect(taxIdProblem("ZZ", "A1")).toMatch(/4 to 20/);
    expect(ibanValid("IE29 AIBK 9311 5212 3456 78")).toBe(true);
    expect(ibanValid("IE29 AIBK 9311 5212 3456 79")).toBe(false);
  });
});
