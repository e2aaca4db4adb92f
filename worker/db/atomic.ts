/**
 * `atomically` runs statements as ONE D1 batch (a single SQLite transaction: all or nothing) and returns
 * D1's raw results, whose `meta.changes` tells whether a conditional UPDATE won its race. It accepts
 * drizzle query builders and raw `{ sql, params }` statements (drizzle's own batch cannot carry raw SQL
 * with parameters, which conditional audit inserts need).
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
