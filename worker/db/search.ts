import { sql, type Placeholder, type SQL } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";

/** The LIKE pattern of `contains`: wildcards in the user's text escaped, so "50%" finds "50%", not everything. */
export const containsPattern = (text: string) => `%${text.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;

/**
 * Case-insensitive "contains" search. `text` may be a placeholder (db/prepared.ts) whose value is
 * `containsPattern(text)`.
 */
export function contains(column: SQLiteColumn | SQL, text: string | Placeholder): SQL {
  const pattern = typeof text === "string" ? containsPattern(text) : text;
  return sql`${column} LIKE ${pattern} ESCAPE '\\'`;
}
