/**
 * The policy table: every API route declares who may call it, next to its path, through `defineRoute`.
 * `routePolicies` collects them; test/worker/routes/policy.security.test.ts walks every registered Hono route against it,
 * so a route without a policy fails the build. The vocabulary (`Policy`, `decide`) is worker/contract/policy.ts,
 * shared with the portal's screens (worker/contract/screens.ts).
 */
import type { Policy } from "../contract/policy";

export { decide, type Decision, type Policy } from "../contract/policy";

/** `"GET /api/organizations/{id}"` → policy. Filled as route modules are imported. */
export const routePolicies = new Map<string, Policy>();

export function policyKey(method: string, openApiPath: string): string {
  return `${method.toUpperCase()} ${openApiPath}`;
}
