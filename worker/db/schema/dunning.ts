/**
 * Dunning (docs/decisions/018-dunning.md). The OrgBilling Durable Object of each organization is the single
 * writer of its case; D1 holds the policy ("Billing Configurations" → "Dunning Process") and a mirror of every
 * case for lists, banners and dashboards, written only by the object and only with a newer `version`.
 */
import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { organizations } from "./core";

/** One row (id = 1): the Dunning Process policy as JSON (`DunningPolicy`); absent = the defaults. */
export const dunningSettings = sqliteTable("dunning_settings", {
  id: integer("id").primaryKey(),
  policy: text("policy").notNull(),
  updatedAt: integer("updated_at").notNull(),
});

/** The mirror of each organization's case (one row per organization that was ever looked at by dunning). */
export const dunningCases = sqliteTable(
  "dunning_cases",
  {
    orgId: text("org_id")
      .primaryKey()
      .references(() => organizations.id),
    /** current | grace | warning | suspended | delete_notice | terminated */
    state: text("state").notNull(),
    /** When the state began (the scheduled instant). */
    since: integer("since").notNull(),
    /** Due instant of the oldest unpaid invoice (the anchor); null when no case is open. */
    anchor: integer("anchor"),
    /** The next scheduled step and when (null: none). */
    nextState: text("next_state"),
    nextAt: integer("next_at"),
    amountOverdueMinor: integer("amount_overdue_minor").notNull().default(0),
    currency: text("currency"),
    /** The case's policy snapshot and schedule as JSON (timeline); null when no case is open. */
    detail: text("detail"),
    suspended: integer("suspended", { mode: "boolean" }).notNull().default(false),
    pausedUntil: integer("paused_until"),
    /** Set while paused; "exempt" pauses have no end date. */
    pauseReason: text("pause_reason"),
    /** The Durable Object's case version; the mirror only accepts a newer one. */
    version: integer("version").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [index("dunning_cases_state_idx").on(t.state, t.nextAt)],
);
