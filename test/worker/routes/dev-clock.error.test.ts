/** The development clock refuses days it cannot move by, field by field. */
import { beforeAll, describe, expect, it } from "vitest";
import { createWorld, type World } from "../../factories";
import { callerAs, expectError } from "../../helpers";

let w: World;
beforeAll(async () => {
  w = await createWorld();
});

describe("development clock errors", () => {
  it("refuses 0, negative, fractional, too many and missing days", async () => {
    const admin = await callerAs(w.admin.id, { DEV_CLOCK: "true" });
    for (const body of [{ days: 0 }, { days: -3 }, { days: 1.5 }, { days: 61 }, {}, { days: "7" }]) {
      const err = await expectError(await admin("POST", "/api/dev/clock/advance", body), 400, "VALIDATION_FAILED");
      expect(Object.keys(err.fields ?? {})).toEqual(["days"]);
    }
  });
});
