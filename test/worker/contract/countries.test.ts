/** The country list shared by the portal and the Worker (worker/contract/countries.ts). */
import { describe, expect, it } from "vitest";
import { COUNTRY_CODES, countryName, countryOptions, isCountryCode } from "../../../worker/contract/countries";

describe("countries", () => {
  it("the shared list is the 249 officially assigned ISO 3166-1 codes, each with its own name", () => {
    expect(COUNTRY_CODES).toHaveLength(249);
    expect(new Set(COUNTRY_CODES).size).toBe(249);
    for (const obsolete of ["DD", "SU", "YU", "UK", "FX", "CS", "AN", "ZR", "TP", "EU", "XK", "ZZ", "AA", "QO"]) expect(isCountryCode(obsolete), obsolete).toBe(false);
    for (const current of ["GB", "DE", "SS", "BQ", "CW", "SX", "AX"]) expect(isCountryCode(current), current).toBe(true);
    const names = countryOptions("en").map((o) => o.name);
    expect(new Set(names).size).toBe(names.length);
    expect(countryName("GB", "en")).toBe("United Kingdom");
  });
});
