/** Countries are the ISO 3166-1 list shared with the portal (contract/countries.test.ts): anything else is refused. */
import { describe, expect, it } from "vitest";
import { callerAs, expectError, useWorld } from "../../helpers";

const w = useWorld();

describe("countries", () => {
  it("tax rules and profiles accept only those codes", async () => {
    const admin = await callerAs(w.admin.id);
    for (const country of ["UK", "DD", "XA", "ZZ", "G1", "gb"]) {
      const err = await expectError(await admin.post("/api/tax-rules", { name: "Nope", country, ratePercent: "5", status: "active" }), 400, "VALIDATION_FAILED");
      expect(err.fields?.country, country).toBe("Choose a country from the list.");
    }

    const profile = { firstName: "Clara", lastName: "Whitfield", email: w.admin.email, phone: null, city: null, timeZone: "UTC", jobTitle: null };
    const refused = await expectError(await admin.put("/api/account/profile", { ...profile, country: "SU" }), 400, "VALIDATION_FAILED");
    expect(refused.fields?.country).toBe("Choose a country from the list.");
    const saved = await admin.put("/api/account/profile", { ...profile, country: "GB" });
    expect(saved.status, await saved.clone().text()).toBe(200);
  });
});
