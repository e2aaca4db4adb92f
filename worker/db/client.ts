import { drizzle } from "drizzle-orm/d1";

/**
 * A drizzle database over a D1 binding, built per request (and per queue batch). Without the `schema` option:
 * we never use relational queries (`db.query.*`), and building their config costs ~0.1-0.2 ms per call
 * (docs/decisions/014c-startup-and-bench-baseline.md).
 */
export function createDb(d1: D1Database) {
  return drizzle(d1);
}
export type AppDb = ReturnType<typeof createDb>;
