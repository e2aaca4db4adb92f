/**
 * One way to write a date, a quantity and a price (worker/contract/format.ts), shared by the portal and the
 * emails: the wording defects of issue 8 ("2 unit", "Inc..", "49 / month", three date formats).
 */
import { describe, expect, it } from "vitest";
import { EMAIL_LOCALE, formatDate, formatQuantity, formatUnitPrice, sentence } from "../../../worker/contract/format";
import { formatDate as emailDate } from "../../../worker/domain/email/notify";

describe("dates", () => {
  it("one format per locale, the same for a calendar date, a timestamp and an email", () => {
    expect(formatDate("2028-02-29", { locale: "en-GB" })).toBe("29 Feb 2028");
    expect(formatDate("2028-02-29", { locale: "en-US" })).toBe("Feb 29, 2028");
    // A calendar date is that day in any time zone; a timestamp is its day in the zone asked for.
    expect(formatDate("2026-12-31", { locale: "en-GB", timeZone: "Pacific/Kiritimati" })).toBe("31 Dec 2026");
    expect(formatDate(Date.UTC(2026, 11, 31, 23, 30), { locale: "en-GB", timeZone: "Pacific/Kiritimati" })).toBe("1 Jan 2027");
    // Emails use the same helper in their locale: a list and an email say the same thing.
    const ms = Date.UTC(2026, 10, 22, 12);
    expect(emailDate(ms)).toBe(formatDate("2026-11-22", { locale: EMAIL_LOCALE }));
    expect(emailDate(ms)).toBe("22 Nov 2026");
    expect(formatDate(null)).toBe("—");
    expect(formatDate("not a date")).toBe("not a date");
  });
});

describe("quantities, prices and sentences", () => {
  it("a unit is plural unless the quantity is exactly one", () => {
    expect(formatQuantity("2", "unit")).toBe("2 units");
    expect(formatQuantity("1", "month")).toBe("1 month");
    expect(formatQuantity("1.000", "month")).toBe("1.000 month");
    expect(formatQuantity("0.5", "GB-month")).toBe("0.5 GB-months");
    expect(formatQuantity("2870.55", "vCPU-hour")).toBe("2870.55 vCPU-hours");
    expect(formatQuantity("3", "hours")).toBe("3 hours");
    expect(formatQuantity("3", "")).toBe("3");
  });

  it("a unit price carries its currency, exact, never fewer decimals than the currency has", () => {
    expect(formatUnitPrice("49", "EUR", "month")).toBe("€49.00 / month");
    expect(formatUnitPrice("0.0125", "EUR", "vCPU-hour")).toBe("€0.0125 / vCPU-hour");
    expect(formatUnitPrice("1200", "EUR")).toBe("€1,200.00");
    expect(formatUnitPrice("500", "JPY", "month")).toBe("JP¥500 / month");
    expect(formatUnitPrice("1.5", "KWD")).toMatch(/KWD\s?1\.500$/);
  });

  it("a sentence ends with one full stop, even after a name that has one", () => {
    expect(sentence("Kestrel Render Farm was created for Kestrel Analytics Inc.")).toBe("Kestrel Render Farm was created for Kestrel Analytics Inc.");
    expect(sentence("Kestrel Render Farm was created for Brightwater Logistics Ltd")).toBe("Kestrel Render Farm was created for Brightwater Logistics Ltd.");
  });
});
