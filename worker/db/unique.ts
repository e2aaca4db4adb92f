/**
 * Is this a UNIQUE constraint of `table` refusing a write? drizzle wraps the D1 error (DrizzleQueryError: the
 * SQL in the message, D1's text in `cause`), so both are looked at.
 */
export function isUniqueViolation(err: unknown, table: string): boolean {
  const text = (e: unknown) => (e instanceof Error ? e.message : String(e));
  const needle = `UNIQUE constraint failed: ${table}.`;
  return text(err).includes(needle) || (err instanceof Error && err.cause !== undefined && text(err.cause).includes(needle));
}
