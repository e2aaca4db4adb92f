/**
 * Roles and privileges. Runtime-neutral: imported by the worker and the portal.
 *
 * - `cloud_admin`: the operator's administrator; has every privilege.
 * - `staff`: an operator user with the privileges the Cloud-Admin granted.
 * - `reseller`: a user of a reseller organization; sees that reseller and its customers.
 * - `customer`: a user of a customer organization; sees only that organization.
 */
export const ROLES = ["cloud_admin", "staff", "reseller", "customer"] as const;
export type Role = (typeof ROLES)[number];

export const PRIVILEGES = [
  "organizations.read",
  "organizations.write",
  "billing.read",
  "billing.write",
  "email.settings",
  "audit.read",
] as const;
export type Privilege = (typeof PRIVILEGES)[number];

export const PRIVILEGE_LABELS: Record<Privilege, string> = {
  "organizations.read": "View organizations and their users",
  "organizations.write": "Manage organizations (primary contact, status)",
  "billing.read": "View billing (invoices, transactions, configuration)",
  "billing.write": "Manage billing (configuration, tax rules, invoices)",
  "email.settings": "Manage email templates, SMTP and delivery settings",
  "audit.read": "View the audit log",
};

export const ROLE_LABELS: Record<Role, string> = {
  cloud_admin: "Cloud-Admin",
  staff: "Staff",
  reseller: "Reseller user",
  customer: "Customer user",
};

/** Whether a signed-in principal holds a privilege. The Cloud-Admin holds all of them. */
export function hasPrivilege(p: { role: Role; privileges: readonly string[] }, privilege: Privilege): boolean {
  if (p.role === "cloud_admin") return true;
  if (p.role !== "staff") return false;
  return p.privileges.includes(privilege);
}
