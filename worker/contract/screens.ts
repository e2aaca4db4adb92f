/**
 * Who may open each portal screen: one table for the menu (web/nav.ts), the route guards (web/main.tsx,
 * `guarded`) and the screen × role test (test/worker/routes/screens.security.test.ts). Each entry names the API
 * routes its screens load as they open; the test checks that whoever a screen admits, those routes admit too,
 * so a screen that is offered never fails with 403. The API's own policies (worker/routes) stay the authority.
 */
import type { Policy } from "./policy";

export interface ScreenAccess {
  policy: Policy;
  /** Policy keys (`"GET /api/…"`) of the routes the screens load first. */
  api: readonly string[];
}

export const SCREENS = {
  /** Account Settings and the dashboard: any signed-in user. */
  everyone: { policy: { audience: "user" }, api: ["GET /api/account/profile", "GET /api/account/mfa", "GET /api/account/sessions"] },
  /** Organizations: operators with organizations.read, and resellers for their customers. */
  listOrganizations: { policy: { audience: "tenant", privilege: "organizations.read", tenants: ["reseller"] }, api: ["GET /api/organizations"] },
  viewOrganization: { policy: { audience: "tenant", privilege: "organizations.read" }, api: ["GET /api/organizations/{id}"] },
  /** "My Organization" in the menu: customers only (resellers have the Organizations list). */
  myOrganization: { policy: { audience: "own", tenants: ["customer"] }, api: ["GET /api/organizations/{id}"] },
  manageStaff: { policy: { audience: "admin" }, api: ["GET /api/staff"] },
  readAudit: { policy: { audience: "operator", privilege: "audit.read" }, api: ["GET /api/audit-log"] },
  emailSettings: { policy: { audience: "operator", privilege: "email.settings" }, api: ["GET /api/email/templates", "GET /api/email/smtp", "GET /api/email/delivery", "GET /api/email/log"] },
  /** Operator billing screens (read): configurations, tax rules, catalogue, wallets, Transaction Logs, Dunning. */
  billingRead: {
    policy: { audience: "operator", privilege: "billing.read" },
    api: ["GET /api/products", "GET /api/plans", "GET /api/contracts", "GET /api/tax-rules", "GET /api/billing/dunning", "GET /api/billing/runs", "GET /api/subscriptions", "GET /api/transactions"],
  },
  /** Screens that change billing: Create Invoice. */
  billingWrite: { policy: { audience: "operator", privilege: "billing.write" }, api: ["GET /api/invoices/contract-options"] },
  /** Invoices, subscriptions: operators with billing.read, or resellers and customers for their own. */
  billingOrOwn: { policy: { audience: "tenant", privilege: "billing.read" }, api: ["GET /api/invoices", "GET /api/invoices/{id}", "GET /api/subscriptions/{id}"] },
  /** Credit Card Status: operators with billing.read, and resellers for their own customers. */
  creditCardStatus: { policy: { audience: "tenant", privilege: "billing.read", tenants: ["reseller"] }, api: ["GET /api/billing/credit-card-status", "GET /api/billing/credit-card-status/health"] },
  /** "My …" screens of resellers and customers. */
  own: { policy: { audience: "own" }, api: ["GET /api/payment-info", "GET /api/transactions", "GET /api/subscriptions", "GET /api/contracts", "GET /api/invoices"] },
} as const satisfies Record<string, ScreenAccess>;

export type Screen = keyof typeof SCREENS;
