/**
 * The policy table: every API route declares who may call it, next to its path, through `defineRoute`.
 * `routePolicies` collects them; test/worker/routes/policy.security.test.ts walks every registered Hono route against it,
 * so a route without a policy fails the build.
 *
 * Audiences:
 * - public:   anyone, signed in or not
 * - user:     any signed-in user (own account, own session)
 * - admin:    the Cloud-Admin only
 * - operator: Cloud-Admin and staff holding `privilege` (if given); resellers and customers are refused
 * - tenant:   Cloud-Admin and staff holding `privilege`; reseller/customer users too (listed in `tenants`),
 *             whose data the domain layer scopes to their own tenancy (domain/tenancy.ts)
 *
 * Partial sessions (password accepted, second factor pending: stage `mfa`; MFA required but not enrolled:
 * stage `enrol`) count as NOT signed in for every policy, except `user` policies that list the stage in
 * `partial` (the second-factor step itself, enrolment, sign-out).
 */
import { hasPrivilege, type Privilege } from "../contract/roles";
import type { Principal } from "../domain/context";

export type Policy =
  | { audience: "public" }
  | { audience: "user"; partial?: ReadonlyArray<"mfa" | "enrol"> }
  | { audience: "admin" }
  | { audience: "operator"; privilege?: Privilege }
  | { audience: "tenant"; privilege: Privilege; tenants?: ReadonlyArray<"reseller" | "customer"> };

export type Decision = "allow" | "unauthenticated" | "forbidden";

export function decide(policy: Policy, principal: Principal | undefined): Decision {
  if (policy.audience === "public") return "allow";
  if (!principal) return "unauthenticated";
  const stage = principal.stage ?? "full";
  if (stage !== "full") {
    return policy.audience === "user" && policy.partial?.includes(stage) ? "allow" : "unauthenticated";
  }
  const p = { role: principal.role, privileges: principal.privileges };
  switch (policy.audience) {
    case "user":
      return "allow";
    case "admin":
      return principal.role === "cloud_admin" ? "allow" : "forbidden";
    case "operator":
      if (principal.role !== "cloud_admin" && principal.role !== "staff") return "forbidden";
      return !policy.privilege || hasPrivilege(p, policy.privilege) ? "allow" : "forbidden";
    case "tenant":
      if (principal.role === "reseller" || principal.role === "customer") {
        return (policy.tenants ?? ["reseller", "customer"]).includes(principal.role) ? "allow" : "forbidden";
      }
      return hasPrivilege(p, policy.privilege) ? "allow" : "forbidden";
  }
}

/** `"GET /api/organizations/{id}"` → policy. Filled as route modules are imported. */
export const routePolicies = new Map<string, Policy>();

export function policyKey(method: string, openApiPath: string): string {
  return `${method.toUpperCase()} ${openApiPath}`;
}
