/** What an audit row records of a change (worker/domain/audit/record.ts): only what changed, secrets masked. */
import { describe, expect, it } from "vitest";
import { diffOf, MASK } from "../../../../worker/domain/audit/record";

describe("audit log", () => {
  it("masks secret-looking fields in diffs and records only what changed", () => {
    expect(diffOf({ name: "a", password: "hunter2", smtpSecret: null }, { name: "b", password: "correct horse", smtpSecret: "s3cr3t" })).toEqual({
      name: { before: "a", after: "b" },
      password: { before: MASK, after: MASK },
      smtpSecret: { before: null, after: MASK },
    });
    expect(diffOf({ same: 1 }, { same: 1 })).toEqual({});
  });
});
