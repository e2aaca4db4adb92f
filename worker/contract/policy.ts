/**
 * Who may do what: one `Policy` vocabulary for the API routes (worker/routes/policy.ts, declared next to each
 * path through `defineRoute`) and the portal's screens (worker/contract/screens.ts, used by the menu and the route
 * guards). Runtime-neutral: the portal imports it too.
 *
 * Audiences:
 * - public:   anyone, signed in or not
 * - user:     any signed-in user (own account, own session)
 * - admin:    the Cloud-Admin only
 * - operator: Cloud-Admin and staff holding `privilege` (if given); resellers and customers are refused
 * - tenant:   Cloud-Admin and staff holding `privilege`; reseller/customer users too (listed in `tenants`),
 *             whose data the domain layer scopes to their own tenancy (domain/tenancy.ts)
 * - own:      the caller's own customer or reseller organization only (listed in `tenants`); operators have none
 *
 * Partial sessions (password accepted, second factor pending: stage `mfa`; MFA required but not enrolled:
 * stage `enrol`) count as NOT signed in for every policy, except `user` policies that list the stage in
 * `partial` (the second-factor step itself, enrolment, sign-out).
 */
import { hasPrivilege, type Privilege, type Role } from "./roles";

type Tenant = "reseller" | "customer";

export type Policy =
  | { audience: "public" }
  | { audience: "user"; partial?: ReadonlyArray<"mfa" | "enrol"> }
  | { audience: "admin" }
  | { audience: "operator"; privilege?: Privilege }
  | { audience: "tenant"; privilege: Privilege; tenants?: ReadonlyArray<Tenant> }
  | { audience: "own"; tenants?: ReadonlyArray<Tenant> };

export type Decision = "allow" | "unauthenticated" | "forbidden";

/** Who is asking: a route's principal or the portal's session user. */
export interface PolicySubject {
  role: Role;
  privileges: readonly Privilege[];
  /** Session stage; absent means a full sign-in. */
  stage?: "full" | "mfa" | "enrol";
}

const isTenant = (role: Role): role is Tenant => role === "reseller" || role === "customer";
/** The operator's people (Cloud-Admin and staff): the one place this is written, for the API and the portal. */
export const isOperatorRole = (role: Role): boolean => role === "cloud_admin" || role === "staff";

export function decide(policy: Policy, subject: PolicySubject | undefined): Decision {
  if (policy.audience === "public") return "allow";
  if (!subject) return "unauthenticated";
  const stage = subject.stage ?? "full";
  if (stage !== "full") {
    return policy.audience === "user" && policy.partial?.includes(stage) ? "allow" : "unauthenticated";
  }
  const { role } = subject;
  switch (policy.audience) {
    case "user":
      return "allow";
    case "admin":
      return role === "cloud_admin" ? "allow" : "forbidden";
    case "operator":
      if (!isOperatorRole(role)) return "forbidden";
      return !policy.privilege || hasPrivilege(subject, policy.privilege) ? "allow" : "forbidden";
    case "own":
      return isTenant(role) && (policy.tenants ?? ["reseller", "customer"]).includes(role) ? "allow" : "forbidden";
    case "tenant":
      if (isTenant(role)) return (policy.tenants ?? ["reseller", "customer"]).includes(role) ? "allow" : "forbidden";
      return hasPrivilege(subject, policy.privilege) ? "allow" : "forbidden";
  }
}

/** `decide` as a yes/no, for the portal (whose sessions are always full sign-ins). */
export const allows = (policy: Policy, subject: PolicySubject | undefined): boolean => decide(policy, subject) === "allow";
