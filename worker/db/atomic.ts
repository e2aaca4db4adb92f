/**
 * Writing on D1 without interactive transactions: the ONE vocabulary for conditional batches
 * (docs/decisions/004-d1-atomicity.md).
 *
 * - `atomically(db, statements)` runs statements as ONE D1 batch (a single SQLite transaction: all or nothing)
 *   and returns D1's raw results, whose `meta.changes` tells whether a conditional UPDATE won its race. It
 *   accepts drizzle query builders and raw `{ sql, params }` statements (drizzle's own batch cannot carry raw SQL
 *   with parameters, which the conditional statements below need).
 * - `insertIfChanged(table, row)`: an INSERT that happens only if the statement just before it changed a row
 *   (the audit row of a conditional UPDATE: a lost race leaves nothing behind, the batch still commits).
 * - `abortUnlessChanged()` right after a conditional UPDATE: the whole batch rolls back if that UPDATE changed
 *   nothing, so every later statement (ledger, credit note, recovery codes …) depends on winning. The caller
 *   recognises the abort with `isGuardAbort(err)`, which matches this guard only, never another constraint.
 */
import type { AppDb } from "./client";

export interface RawStatement {
  toSQL(): { sql: string; params: unknown[] };
}

export async function atomically(db: AppDb, statements: RawStatement[]): Promise<D1Result[]> {
  const d1 = db.$client;
  return d1.batch(statements.map((s) => {
    const q = s.toSQL();
    return d1.prepare(q.sql).bind(...q.params);
  }));
}

export const rawStatement = (sql: string, params: unknown[]): RawStatement => ({ toSQL: () => ({ sql, params }) });

/** `row` maps column names (as in SQL) to values; inserted only if the previous statement changed a row. */
export function insertIfChanged(table: string, row: Record<string, unknown>): RawStatement {
  const columns = Object.keys(row);
  return rawStatement(
    `INSERT INTO ${table} (${columns.join(", ")}) SELECT ${columns.map(() => "?").join(", ")} WHERE changes() > 0`,
    Object.values(row),
  );
}

/** The guard's CHECK constraint (table `batch_guard`, migration 0010); it never holds a row. */
const GUARD_CONSTRAINT = "batch_guard_precondition";

/** Placed right after a conditional UPDATE in a batch: aborts the whole batch if that UPDATE changed nothing. */
export const abortUnlessChanged = (): RawStatement => rawStatement(`INSERT INTO batch_guard (ok) SELECT 0 WHERE changes() = 0`, []);

/** Aborts the whole batch unless `condition` (an SQL boolean expression with `?` parameters) holds at this point. */
export const abortUnless = (condition: string, params: unknown[]): RawStatement =>
  rawStatement(`INSERT INTO batch_guard (ok) SELECT 0 WHERE NOT (${condition})`, params);

/** True for the abort of `abortUnlessChanged` only (SQLite names the failed constraint in the message). */
export const isGuardAbort = (err: unknown): boolean => String(err instanceof Error ? err.message : err).includes(`CHECK constraint failed: ${GUARD_CONSTRAINT}`);
