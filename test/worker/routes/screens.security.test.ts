/**
 * The screen × role matrix: the portal's menu and route guards open a screen by its entry in
 * worker/contract/screens.ts. Whoever a screen admits must be admitted by the API routes it loads, or the screen
 * would be offered and then fail with 403. (A screen may admit fewer than its routes: customers reach their
 * organization through "My Organization", not the Organizations list.)
 */
import { describe, expect, it } from "vitest";
import { createApp } from "../../../worker/app";
import { decide, type PolicySubject } from "../../../worker/contract/policy";
import { PRIVILEGES } from "../../../worker/contract/roles";
import { SCREENS, type ScreenAccess } from "../../../worker/contract/screens";
import { routePolicies } from "../../../worker/routes/policy";

// Importing the app registers every route's policy.
createApp();

const subjects: Array<{ name: string; subject: PolicySubject }> = [
  { name: "cloud admin", subject: { role: "cloud_admin", privileges: [] } },
  { name: "staff without privileges", subject: { role: "staff", privileges: [] } },
  ...PRIVILEGES.map((p) => ({ name: `staff with ${p}`, subject: { role: "staff" as const, privileges: [p] } })),
  { name: "staff with every privilege", subject: { role: "staff", privileges: [...PRIVILEGES] } },
  { name: "reseller user", subject: { role: "reseller", privileges: [] } },
  { name: "customer user", subject: { role: "customer", privileges: [] } },
];

describe("screen × role matrix", () => {
  for (const [screen, access] of Object.entries(SCREENS) as Array<[string, ScreenAccess]>) {
    it(`${screen}: its API routes exist and admit everyone the screen admits`, () => {
      const problems: string[] = [];
      for (const key of access.api) if (!routePolicies.has(key)) problems.push(`no such route: ${key}`);
      for (const { name, subject } of subjects) {
        const opens = decide(access.policy, subject) === "allow";
        const refused = access.api.filter((key) => routePolicies.has(key) && decide(routePolicies.get(key)!, subject) !== "allow");
        if (opens && refused.length) problems.push(`${name} may open it, but ${refused.join(", ")} refuse`);
      }
      expect(problems).toEqual([]);
    });
  }

  it("nobody opens a screen before signing in, and a half-signed-in session opens none", () => {
    for (const access of Object.values(SCREENS) as ScreenAccess[]) {
      expect(decide(access.policy, undefined)).toBe("unauthenticated");
      expect(decide(access.policy, { role: "cloud_admin", privileges: [], stage: "mfa" })).toBe("unauthenticated");
    }
  });
});
