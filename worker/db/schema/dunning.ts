/**
 * Dunning (docs/decisions/018-dunning.md). The OrgBilling Durable Object of each organization is the single
 * writer of its case; D1 holds the policy ("Billing Configurations" → "Dunning Process") and a mirror of every
 * case for lists, banners and dashboards, written only by the object and only with a newer `version`.
 */
import { sql } from "drizzle-orm";
import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { DUNNING_STATES } from "../../contract/dunning";
import { flag, id, minor, updatedAt } from "./columns";
import { organizations, orgRef, users } from "./core";

/** One row (id = 1): the Dunning Process policy as JSON (`DunningPolicy`); absent = the defaults. */
export const dunningSettings = sqliteTable("dunning_settings", {
  id: integer("id").primaryKey(),
  policy: text("policy").notNull(),
  updatedAt: updatedAt(),
});

/** The mirror of each organization's case (one row per organization that was ever looked at by dunning). */
export const dunningCases = sqliteTable(
  "dunning_cases",
  {
    orgId: text("org_id").primaryKey().references(() => organizations.id),
    /** current | grace | warning | suspended | delete_notice | terminated (typed only: no CHECK in SQLite) */
    state: text("state", { enum: DUNNING_STATES }).notNull(),
    /** When the state began (the scheduled instant). */
    since: integer("since").notNull(),
    /** Due instant of the oldest unpaid invoice (the anchor); null when no case is open. */
    anchor: integer("anchor"),
    /** The next scheduled step and when (null: none). */
    nextState: text("next_state", { enum: DUNNING_STATES }),
    nextAt: integer("next_at"),
    amountOverdueMinor: minor("amount_overdue_minor").default(0),
    currency: text("currency"),
    /** The case's policy snapshot and schedule as JSON (timeline); null when no case is open. */
    detail: text("detail"),
    suspended: flag("suspended").default(false),
    pausedUntil: integer("paused_until"),
    /** Set while paused; "exempt" pauses have no end date. */
    pauseReason: text("pause_reason"),
    /** Which case of the organization this is (the object's `caseSeq`: +1 each time a case opens). */
    caseSeq: integer("case_seq").notNull().default(0),
    /** The Durable Object's case version; the mirror only accepts a newer one. */
    version: integer("version").notNull(),
    updatedAt: updatedAt(),
  },
  (t) => [index("dunning_cases_state_idx").on(t.state, t.nextAt)],
);

/**
 * A customer's request for more time (docs/decisions/018a-dunning-extensions-and-dev-clock.md): asked from the
 * Warning banner or the pay-only screen, approved (the case is paused until `until`) or declined by billing staff.
 * One open request per organization (and so per case): the partial unique index.
 */
export const dunningExtensionRequests = sqliteTable(
  "dunning_extension_requests",
  {
    id: id(),
    orgId: orgRef(),
    /** The case it was asked in (`dunning_cases.case_seq`); a request of an ended case is no longer shown. */
    caseSeq: integer("case_seq").notNull(),
    days: integer("days").notNull(),
    reason: text("reason").notNull(),
    /** open | approved | declined | lapsed (the case ended or was paused by staff before a decision) */
    status: text("status").notNull(),
    requestedBy: text("requested_by").notNull().references(() => users.id),
    requestedAt: integer("requested_at").notNull(),
    decidedBy: text("decided_by").references(() => users.id),
    decidedAt: integer("decided_at"),
    /** Approved: the pause ends at this instant (start of a UTC day). */
    until: integer("until"),
    /** Declined: the reason the customer is told. */
    decisionNote: text("decision_note"),
  },
  (t) => [
    uniqueIndex("dunning_extension_requests_open_uq").on(t.orgId).where(sql`status = 'open'`),
    index("dunning_extension_requests_org_idx").on(t.orgId, t.requestedAt),
  ],
);

/**
 * The development clock's offset (one row, id = 1), read only where DEV_CLOCK=true (never in production):
 * docs/decisions/018a-dunning-extensions-and-dev-clock.md, worker/integrations/clock.ts.
 */
export const devClock = sqliteTable("dev_clock", {
  id: integer("id").primaryKey(),
  offsetMs: integer("offset_ms").notNull(),
  updatedAt: updatedAt(),
});
