/**
 * Core tables: organizations, users, sessions, sign-in throttling, audit log, catalogue and subscriptions.
 *
 * Conventions:
 * - ids are prefixed text ids from db/ids.ts; timestamps are integer milliseconds since the epoch (UTC);
 *   calendar dates (billing anchors, trial ends) are `YYYY-MM-DD` text.
 * - every tenant-owned row carries `org_id`; queries are scoped through domain/tenancy.ts.
 * - money is never stored here as REAL: prices are exact decimals as (integer amount, integer scale).
 */
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { createdAt, flag, id, timestamps } from "./columns";

/** The organization a tenant-owned row belongs to (required; queries are scoped by it: domain/tenancy.ts). */
export const orgRef = () => text("org_id").notNull().references(() => organizations.id);
/** The user a per-user row belongs to (required). */
export const userRef = () => text("user_id").notNull().references(() => users.id);

export const organizations = sqliteTable(
  "organizations",
  {
    id: id(),
    kind: text("kind", { enum: ["operator", "reseller", "customer"] }).notNull(),
    name: text("name").notNull(),
    /** For a customer sold through a reseller: that reseller. Null for direct customers, resellers and the operator. */
    resellerId: text("reseller_id"),
    status: text("status", { enum: ["active", "suspended"] }).notNull().default("active"),
    country: text("country").notNull(),
    city: text("city"),
    phone: text("phone"),
    email: text("email"),
    /** Billing details printed on invoices (docs/decisions/013-invoice-documents.md): registered name if it differs from `name`. */
    legalName: text("legal_name"),
    addressLine1: text("address_line1"),
    addressLine2: text("address_line2"),
    postalCode: text("postal_code"),
    region: text("region"),
    /** VAT / tax number, normalised (no spaces), format-checked for `country`. */
    taxId: text("tax_id"),
    /** Set = billed without tax; the reason is printed on (and frozen with) every invoice. */
    taxExemptReason: text("tax_exempt_reason"),
    timeZone: text("time_zone").notNull().default("UTC"),
    /** The primary contact (primary user): invoices and billing mail go to this user's address. */
    primaryUserId: text("primary_user_id"),
    ...timestamps(),
  },
  (t) => [
    index("organizations_reseller_idx").on(t.resellerId),
    index("organizations_kind_name_idx").on(t.kind, t.name),
  ],
);

export const users = sqliteTable(
  "users",
  {
    id: id(),
    orgId: orgRef(),
    /** Lower-cased; unique across the platform (sign-in is by email). */
    email: text("email").notNull(),
    firstName: text("first_name").notNull(),
    lastName: text("last_name").notNull(),
    /** E.164 */
    phone: text("phone"),
    country: text("country"),
    city: text("city"),
    timeZone: text("time_zone").notNull().default("UTC"),
    jobTitle: text("job_title"),
    role: text("role", { enum: ["cloud_admin", "staff", "reseller", "customer"] }).notNull(),
    /** JSON array of privilege names; meaningful for staff only (the Cloud-Admin has all). */
    privileges: text("privileges").notNull().default("[]"),
    status: text("status", { enum: ["active", "disabled"] }).notNull().default("active"),
    /** Self-describing: `pbkdf2-sha256$<iterations>$<salt b64>$<hash b64>`; never selected in lists. */
    passwordHash: text("password_hash").notNull(),
    passwordChangedAt: integer("password_changed_at").notNull(),
    lastLoginAt: integer("last_login_at"),
    ...timestamps(),
  },
  (t) => [uniqueIndex("users_email_uq").on(t.email), index("users_org_idx").on(t.orgId)],
);

export const sessions = sqliteTable(
  "sessions",
  {
    /** SHA-256 (hex) of the session token: the token itself lives only in the user's cookie. */
    id: id(),
    userId: userRef(),
    createdAt: createdAt(),
    lastSeenAt: integer("last_seen_at").notNull(),
    /** Absolute expiry; idle expiry is `last_seen_at + idle timeout`. */
    expiresAt: integer("expires_at").notNull(),
    revokedAt: integer("revoked_at"),
    /**
     * `full`: signed in. `mfa`: password accepted, second factor pending. `enrol`: password accepted, MFA is
     * required and must be enrolled first. Partial sessions grant nothing but their next step (routes/policy.ts).
     */
    stage: text("stage", { enum: ["full", "mfa", "enrol"] }).notNull().default("full"),
    /** When the user last proved who they are (sign-in or step-up): sensitive actions need it within 5 min. */
    authAt: integer("auth_at").notNull().default(0),
    ip: text("ip"),
    userAgent: text("user_agent"),
  },
  (t) => [index("sessions_user_idx").on(t.userId), index("sessions_expires_idx").on(t.expiresAt)],
);

/** Failed sign-in counters per account and per IP (keys `acct:<sha256(email)>`, `ip:<address>`). */
export const loginThrottle = sqliteTable("login_throttle", {
  key: text("key").primaryKey(),
  failures: integer("failures").notNull(),
  windowStartedAt: integer("window_started_at").notNull(),
  lockedUntil: integer("locked_until").notNull().default(0),
});

/** Append-only (UPDATE and DELETE abort through triggers in migrations/0001_audit_append_only.sql). */
export const auditLog = sqliteTable(
  "audit_log",
  {
    id: id(),
    at: integer("at").notNull(),
    actorUserId: text("actor_user_id"),
    actorLabel: text("actor_label").notNull(),
    /** The organization the change concerns (null for platform-wide settings). */
    orgId: text("org_id"),
    action: text("action").notNull(),
    targetType: text("target_type").notNull(),
    targetId: text("target_id"),
    ip: text("ip"),
    requestId: text("request_id").notNull(),
    /** JSON `{ field: { before, after } }`, secrets masked. */
    diff: text("diff").notNull(),
  },
  (t) => [
    index("audit_log_at_idx").on(t.at),
    index("audit_log_org_at_idx").on(t.orgId, t.at),
    index("audit_log_action_at_idx").on(t.action, t.at),
  ],
);

export const products = sqliteTable("products", {
  id: id(),
  name: text("name").notNull(),
  description: text("description"),
  /** `fixed`: a recurring fee; `payg`: usage priced per unit. */
  model: text("model", { enum: ["fixed", "payg"] }).notNull(),
  /** Unit of consumption for payg (e.g. "vCPU-hour", "GB-month"); "month" etc. for fixed fees. */
  unit: text("unit").notNull(),
  /** Exact decimal price per unit: `price_amount / 10^price_scale` in the billing currency. */
  priceAmount: integer("price_amount").notNull(),
  priceScale: integer("price_scale").notNull(),
  taxable: flag("taxable").default(true),
  status: text("status", { enum: ["active", "retired"] }).notNull().default("active"),
  ...timestamps(),
});

export const plans = sqliteTable("plans", {
  id: id(),
  name: text("name").notNull(),
  description: text("description"),
  status: text("status", { enum: ["active", "retired"] }).notNull().default("active"),
  ...timestamps(),
});

export const planProducts = sqliteTable(
  "plan_products",
  {
    planId: text("plan_id").notNull().references(() => plans.id),
    productId: text("product_id").notNull().references(() => products.id),
  },
  (t) => [primaryKey({ columns: [t.planId, t.productId] })],
);

export const contracts = sqliteTable(
  "contracts",
  {
    id: id(),
    orgId: orgRef(),
    planId: text("plan_id").notNull().references(() => plans.id),
    startDate: text("start_date").notNull(),
    expiryDate: text("expiry_date"),
    status: text("status", { enum: ["active", "expired", "cancelled"] }).notNull().default("active"),
    ...timestamps(),
  },
  (t) => [index("contracts_org_idx").on(t.orgId)],
);

export const resourceSubscriptions = sqliteTable(
  "resource_subscriptions",
  {
    id: id(),
    orgId: orgRef(),
    contractId: text("contract_id").notNull().references(() => contracts.id),
    name: text("name").notNull(),
    model: text("model", { enum: ["fixed", "payg"] }).notNull(),
    billingInterval: text("billing_interval", { enum: ["month", "quarter", "year"] }).notNull(),
    /** The day the billing cycle is anchored on (`YYYY-MM-DD`); periods repeat from it. */
    anchorDate: text("anchor_date").notNull(),
    status: text("status", { enum: ["trial", "live", "suspended", "cancelled", "terminated"] }).notNull(),
    /** Free until this date (exclusive) when `status = 'trial'`. */
    trialEndsAt: text("trial_ends_at"),
    /** End (exclusive) of the last period invoiced; null until the first invoice. Advanced in the invoice's batch. */
    billedThrough: text("billed_through"),
    ...timestamps(),
  },
  (t) => [index("resource_subscriptions_org_idx").on(t.orgId), index("resource_subscriptions_contract_idx").on(t.contractId)],
);

export const resources = sqliteTable(
  "resources",
  {
    id: id(),
    orgId: orgRef(),
    subscriptionId: text("subscription_id").notNull().references(() => resourceSubscriptions.id),
    type: text("type", { enum: ["virtual_machine", "volume", "ip_address", "object_storage", "kubernetes_cluster"] }).notNull(),
    name: text("name").notNull(),
    region: text("region").notNull(),
    status: text("status", { enum: ["provisioning", "active", "suspended", "terminated"] }).notNull(),
    ...timestamps(),
  },
  (t) => [index("resources_subscription_idx").on(t.subscriptionId), index("resources_org_idx").on(t.orgId)],
);

export type OrganizationRow = typeof organizations.$inferSelect;
export type UserRow = typeof users.$inferSelect;
export type SessionRow = typeof sessions.$inferSelect;


/** Queue messages that ran out of retries (written by the dead-letter consumer): never lost silently. */
export const deadLetters = sqliteTable(
  "dead_letters",
  {
    id: id(),
    queue: text("queue").notNull(),
    messageId: text("message_id").notNull(),
    /** The message body as JSON (never contains secrets or card data: messages carry ids only). */
    body: text("body").notNull(),
    attempts: integer("attempts").notNull(),
    receivedAt: integer("received_at").notNull(),
  },
  (t) => [uniqueIndex("dead_letters_queue_message_uq").on(t.queue, t.messageId)],
);
