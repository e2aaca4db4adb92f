/**
 * Response shapes of the JSON API as zod schemas: the routes declare them (so /api/openapi.json documents
 * them) and the portal imports the inferred types. Timestamps are ISO-8601 strings in UTC; calendar dates
 * are `YYYY-MM-DD`.
 */
import { z } from "zod";
import { PRIVILEGES, ROLES } from "./roles";

export const OrgKindSchema = z.enum(["operator", "reseller", "customer"]);
export type OrgKind = z.infer<typeof OrgKindSchema>;
const RoleSchema = z.enum(ROLES);
const PrivilegeSchema = z.enum(PRIVILEGES);

export const OrgRefSchema = z.object({ id: z.string(), name: z.string(), kind: OrgKindSchema });
export type OrgRef = z.infer<typeof OrgRefSchema>;
/** Amounts (`…Minor`) are integer minor units of `currency`, which has `exponent` decimals (ADR 008). */
export const inCurrency = { currency: z.string(), exponent: z.number().int() };

/** Something shown by its name and linked by its id (a plan, a subscription, a resource). */
export const NamedRefSchema = z.object({ id: z.string(), name: z.string() });

/** How every user is shown: who they are, before what each screen adds. */
const person = { id: z.string(), email: z.string(), firstName: z.string(), lastName: z.string() };

export const SessionUserSchema = z.object({
  ...person,
  role: RoleSchema,
  privileges: z.array(PrivilegeSchema),
  org: OrgRefSchema,
});
export type SessionUser = z.infer<typeof SessionUserSchema>;

export const SessionDtoSchema = z.object({
  user: SessionUserSchema,
  /** When the session ends at the latest (absolute expiry). */
  expiresAt: z.string(),
});
export type SessionDto = z.infer<typeof SessionDtoSchema>;

export function pageSchema<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), page: z.number().int(), pageSize: z.number().int(), total: z.number().int() });
}
export interface Page<T> {
  items: T[];
  page: number;
  pageSize: number;
  total: number;
}

export const UserSummarySchema = z.object({
  ...person,
  phone: z.string().nullable(),
  jobTitle: z.string().nullable(),
  role: RoleSchema,
  status: z.enum(["active", "disabled"]),
  isPrimaryContact: z.boolean(),
  lastLoginAt: z.string().nullable(),
});
export type UserSummary = z.infer<typeof UserSummarySchema>;

export const OrganizationSummarySchema = z.object({
  id: z.string(),
  name: z.string(),
  kind: OrgKindSchema,
  status: z.enum(["active", "suspended"]),
  country: z.string(),
  city: z.string().nullable(),
  reseller: OrgRefSchema.nullable(),
  primaryContact: z.object({ id: z.string(), name: z.string(), email: z.string() }).nullable(),
  userCount: z.number().int(),
  createdAt: z.string(),
});
export type OrganizationSummary = z.infer<typeof OrganizationSummarySchema>;

export const SubscriptionSummarySchema = z.object({
  id: z.string(),
  name: z.string(),
  planName: z.string(),
  model: z.enum(["fixed", "payg"]),
  billingInterval: z.enum(["month", "quarter", "year"]),
  status: z.enum(["trial", "live", "suspended", "cancelled", "terminated"]),
  anchorDate: z.string(),
  trialEndsAt: z.string().nullable(),
  resourceCount: z.number().int(),
});
export type SubscriptionSummary = z.infer<typeof SubscriptionSummarySchema>;

export const OrganizationDetailSchema = OrganizationSummarySchema.extend({
  phone: z.string().nullable(),
  email: z.string().nullable(),
  timeZone: z.string(),
  users: z.array(UserSummarySchema),
  customers: z.array(OrgRefSchema),
  subscriptions: z.array(SubscriptionSummarySchema),
});
export type OrganizationDetail = z.infer<typeof OrganizationDetailSchema>;

export const StaffMemberSchema = z.object({
  ...person,
  role: z.enum(["cloud_admin", "staff"]),
  privileges: z.array(PrivilegeSchema),
  status: z.enum(["active", "disabled"]),
  lastLoginAt: z.string().nullable(),
});
export type StaffMember = z.infer<typeof StaffMemberSchema>;

export const AuditEntrySchema = z.object({
  id: z.string(),
  at: z.string(),
  actor: z.object({ id: z.string().nullable(), label: z.string() }),
  org: OrgRefSchema.nullable(),
  action: z.string(),
  targetType: z.string(),
  targetId: z.string().nullable(),
  ip: z.string().nullable(),
  requestId: z.string(),
  /** Changed fields: `{ field: { before, after } }`; secrets appear as "••••". */
  diff: z.record(z.string(), z.object({ before: z.unknown(), after: z.unknown() })),
});
export type AuditEntry = z.infer<typeof AuditEntrySchema>;
