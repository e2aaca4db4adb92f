/**
 * Set-based statements on D1: many rows in ONE statement, bound as one JSON text parameter (`?1`) and expanded
 * with `json_each(?1)`; each row is a JSON array read positionally (`j.value->>0`, `->>1`, …).
 *
 * Why: D1 allows 100 bound parameters and 100 KB of SQL per statement but 2 MB per value, and a statement per
 * row costs a round of statement overhead per row. One JSON parameter keeps the SQL text fixed and small
 * whatever the row count (docs/decisions/014-billing-run-set-based.md measured ~3× the rows/s of one prepared
 * INSERT per row). Rows are split over several statements so no JSON value exceeds MAX_JSON_CHARS.
 */
import { rawStatement, type RawStatement } from "./atomic";

/**
 * Characters per JSON parameter. D1 limits a value to 2 MB; a UTF-16 character takes at most 3 bytes in UTF-8
 * (a surrogate pair, 2 characters, takes 4), so 600,000 characters stay below 1.8 MB whatever the text.
 */
export const MAX_JSON_CHARS = 600_000;
/** Rows per statement: bounds the work of one statement (D1 stops a statement after 30 s). */
export const MAX_ROWS_PER_STATEMENT = 2_000;

/**
 * `sql` must read its rows from `json_each(?1)`; `extra` binds `?2`, `?3`, … (the same values for every chunk).
 * No rows → no statement.
 */
export function jsonRowsStatements(sql: string, rows: readonly unknown[], extra: readonly unknown[] = []): RawStatement[] {
  const out: RawStatement[] = [];
  let parts: string[] = [];
  let chars = 2;
  const flush = () => {
    if (!parts.length) return;
    out.push(rawStatement(sql, [`[${parts.join(",")}]`, ...extra]));
    parts = [];
    chars = 2;
  };
  for (const row of rows) {
    const text = JSON.stringify(row);
    if (parts.length && (chars + text.length + 1 > MAX_JSON_CHARS || parts.length >= MAX_ROWS_PER_STATEMENT)) flush();
    parts.push(text);
    chars += text.length + 1;
  }
  flush();
  return out;
}

/** `j.value->>0, j.value->>1, … j.value->>(n-1)`: the positional columns of a json_each row. */
export const jsonColumns = (n: number, alias = "j") => Array.from({ length: n }, (_, i) => `${alias}.value->>${i}`).join(", ");

/**
 * Runs read statements as one D1 batch (one round trip, one consistent snapshot) and returns each statement's
 * rows as objects. Use distinct column aliases: rows are keyed by column name.
 */
export async function readBatch<T extends readonly unknown[]>(d1: D1Database, statements: RawStatement[]): Promise<{ [K in keyof T]: T[K][] }> {
  const results = await d1.batch(statements.map((s) => {
    const q = s.toSQL();
    return d1.prepare(q.sql).bind(...q.params);
  }));
  return results.map((r) => r.results ?? []) as { [K in keyof T]: T[K][] };
}
