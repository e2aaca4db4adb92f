import { sql, type SQL } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";

/**
 * Case-insensitive "contains" search. LIKE wildcards in the user's text are escaped, so a search for
 * "50%" finds "50%" rather than everything.
 */
export function contains(column: SQLiteColumn | SQL, text: string): SQL {
  const pattern = `%${text.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
  return sql`${column} LIKE ${pattern} ESCAPE '\\'`;
}
