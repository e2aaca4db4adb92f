import { count, type SQL } from "drizzle-orm";
import type { SQLiteSelect, SQLiteTable } from "drizzle-orm/sqlite-core";
import type { Page } from "../contract/dto";
import type { AppDb } from "../db/client";

/** Rows to skip before a 1-based page. */
export const offsetOf = (p: { page: number; pageSize: number }): number => (p.page - 1) * p.pageSize;

/** One page of a list: its rows and the count of every matching row, read side by side, in the one page envelope. */
export async function readPage<R, T>(p: { page: number; pageSize: number }, rows: PromiseLike<R[]>, totals: PromiseLike<Array<{ total: number }>>, map: (row: R) => T): Promise<Page<T>> {
  const [list, counted] = await Promise.all([rows, totals]);
  return { items: list.map(map), page: p.page, pageSize: p.pageSize, total: counted[0]?.total ?? 0 };
}

/**
 * One page of a filtered list over one table: `rows` (a `$dynamic()` select of `table` with its joins) narrowed by
 * `where` in `order`, and the count of `table`'s rows matching `where` (so `where` names only `table`'s columns).
 */
export function filteredPage<Q extends SQLiteSelect, T>(
  db: AppDb,
  p: { page: number; pageSize: number },
  list: { table: SQLiteTable; rows: Q; where: SQL | undefined; order: SQL[] },
  map: (row: Awaited<Q>[number]) => T,
): Promise<Page<T>> {
  const rows = list.rows.where(list.where).orderBy(...list.order).limit(p.pageSize).offset(offsetOf(p));
  return readPage(p, rows, db.select({ total: count() }).from(list.table).where(list.where), map);
}
