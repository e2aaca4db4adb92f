/**
 * The role × route matrix. Every API route registered on the app must have a policy (a route added
 * without one fails here), and every route answers each role exactly as its policy says:
 * 401 for anonymous callers of non-public routes, 403 for roles the policy refuses, and neither for
 * roles it allows (they may still get 400/404 for the dummy input used here).
 */
import { beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../../worker/app";
import { decide, policyKey, routePolicies } from "../../../worker/routes/policy";
import type { Principal } from "../../../worker/domain/context";
import type { Privilege, Role } from "../../../worker/contract/roles";
import { createSession, createWorld, type World } from "../../factories";
import { testClient } from "../../helpers";

const app = createApp();
const apiRoutes = app.routes
  .filter((r) => r.path.startsWith("/api") && r.method !== "ALL")
  .map((r) => ({ method: r.method, path: r.path.replace(/:([A-Za-z]+)/g, "{$1}") }));

describe("route policy table", () => {
  it("every registered /api route has a policy, and every policy has a route", () => {
    expect(apiRoutes.length).toBeGreaterThanOrEqual(routePolicies.size);
    const registered = new Set(apiRoutes.map((r) => policyKey(r.method, r.path)));
    for (const key of registered) expect(routePolicies.has(key), `route without a policy: ${key}`).toBe(true);
    for (const key of routePolicies.keys()) expect(registered.has(key), `policy without a route: ${key}`).toBe(true);
  });
});

type Actor = { name: string; role: Role | "anonymous"; privileges: Privilege[]; userId?: string; stage?: "mfa" | "enrol" };

describe("route × role matrix", () => {
  let world: World;
  let actors: Actor[];
  beforeAll(async () => {
    world = await createWorld();
    actors = [
      { name: "anonymous", role: "anonymous", privileges: [] },
      { name: "cloud admin", role: "cloud_admin", privileges: [], userId: world.admin.id },
      { name: "staff without privileges", role: "staff", privileges: [], userId: world.staffNone.id },
      { name: "staff with read privileges", role: "staff", privileges: ["organizations.read", "billing.read"], userId: world.staffRead.id },
      { name: "staff with org write + audit", role: "staff", privileges: ["organizations.read", "organizations.write", "audit.read"], userId: world.staffAll.id },
      { name: "reseller user", role: "reseller", privileges: [], userId: world.resellerAUser.id },
      { name: "customer user", role: "customer", privileges: [], userId: world.customerAUser.id },
      // Half-signed-in: password accepted, second factor (or MFA enrolment) pending. Such a session must count as
      // signed out everywhere except the routes of its next step.
      { name: "admin, second factor pending", role: "cloud_admin", privileges: [], userId: world.admin.id, stage: "mfa" },
      { name: "staff, second factor pending", role: "staff", privileges: ["organizations.read", "organizations.write", "audit.read"], userId: world.staffAll.id, stage: "mfa" },
      { name: "customer, MFA enrolment pending", role: "customer", privileges: [], userId: world.customerAUser2.id, stage: "enrol" },
    ];
  });

  // One test per route (each with its own time budget: the matrix grows with every route), the roles one after
  // another within it.
  for (const route of apiRoutes) {
    it(`${route.method} ${route.path} answers every role as its policy says`, async () => {
      const client = testClient();
      const policy = routePolicies.get(policyKey(route.method, route.path))!;
      const failures: string[] = [];
      for (const actor of actors) {
        const principal = actor.role === "anonymous" ? undefined : ({ role: actor.role, privileges: actor.privileges, stage: actor.stage ?? "full" } as unknown as Principal);
        const expected = decide(policy, principal);
        // A fresh session per request: some routes (sign-out) end the session they are called with.
        const cookie = actor.userId ? await createSession(actor.userId, client.clock.now(), { stage: actor.stage }) : undefined;
        const path = route.path.replace(/\{[A-Za-z]+\}/g, world.customerA.id);
        const res = await client.request(route.method, path, { cookie });
        const ok =
          expected === "unauthenticated" ? res.status === 401 : expected === "forbidden" ? res.status === 403 : res.status !== 401 && res.status !== 403;
        if (!ok) failures.push(`as ${actor.name}: expected ${expected}, got ${res.status}`);
      }
      expect(failures).toEqual([]);
    });
  }

  it("a half-signed-in session reaches only the routes of its next step", () => {
    const partialRoutes = [...routePolicies.entries()].filter(([, p]) => p.audience === "user" && p.partial?.length).map(([k]) => k).sort();
    expect(partialRoutes).toEqual([
      "GET /api/account/mfa",
      "POST /api/account/mfa/totp/enable",
      "POST /api/account/mfa/totp/setup",
      "POST /api/auth/logout",
      "POST /api/auth/mfa/passkey/options",
      "POST /api/auth/mfa/passkey/verify",
      "POST /api/auth/mfa/verify",
    ]);
    const mfaPending = { role: "cloud_admin", privileges: [], stage: "mfa" } as unknown as Principal;
    expect(decide({ audience: "admin" }, mfaPending)).toBe("unauthenticated");
    expect(decide({ audience: "user" }, mfaPending)).toBe("unauthenticated");
    expect(decide({ audience: "user", partial: ["enrol"] }, mfaPending)).toBe("unauthenticated");
    expect(decide({ audience: "user", partial: ["mfa"] }, mfaPending)).toBe("allow");
    expect(decide({ audience: "public" }, mfaPending)).toBe("allow");
  });

  it("covers each audience at least once (the matrix is not vacuous)", () => {
    const audiences = new Set([...routePolicies.values()].map((p) => p.audience));
    expect([...audiences].sort()).toEqual(["admin", "operator", "public", "tenant", "user"]);
  });
});
