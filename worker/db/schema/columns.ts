/**
 * Column builders for what many tables repeat, so a table reads as what is particular to it. Each call makes a
 * new builder (drizzle binds a builder to the one table it is declared in). The references to organizations,
 * users and invoices sit next to those tables (`orgRef`, `userRef` in core.ts, `invoiceRef` in billing.ts):
 * this module imports no table, so any schema file can use it.
 *
 * The database is what these spell out: a change here is a schema change (`npx drizzle-kit generate`).
 */
import { integer, text } from "drizzle-orm/sqlite-core";

/** The text primary key `id`: on most tables a prefixed id from db/ids.ts (`inv_…`, `org_…`). */
export const id = () => text("id").primaryKey();

/** Instants are integer milliseconds since the epoch (UTC). */
export const createdAt = () => integer("created_at").notNull();
export const updatedAt = () => integer("updated_at").notNull();

/** `created_at` and `updated_at` of a row that changes after it is written. */
export const timestamps = () => ({ createdAt: createdAt(), updatedAt: updatedAt() });

/** Who wrote a row that never changes afterwards (a user id, null for the system) and when. */
export const created = () => ({ createdBy: text("created_by"), createdAt: createdAt() });

/** Who saved a settings row last (a user id, null for the system) and when. */
export const lastEdit = () => ({ updatedBy: text("updated_by"), updatedAt: updatedAt() });

/** Money: integer minor units of the row's currency, never REAL (docs/decisions/008-money-and-rounding.md). */
export const minor = (name: string) => integer(name).notNull();

/** One amount of money: `amount_minor` in `currency` (ISO 4217). */
export const amount = () => ({ amountMinor: minor("amount_minor"), currency: text("currency").notNull() });

/** The amounts of an issued document (invoice, credit note) in minor units: total = subtotal + tax (ADR 008). */
export const totals = () => ({ subtotalMinor: minor("subtotal_minor"), taxMinor: minor("tax_minor"), totalMinor: minor("total_minor") });

/** SQLite has no boolean: 0/1 in an INTEGER column, read as a boolean. */
export const flag = (name: string) => integer(name, { mode: "boolean" }).notNull();
