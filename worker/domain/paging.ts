import type { Page } from "../contract/dto";

/** Rows to skip before a 1-based page. */
export const offsetOf = (p: { page: number; pageSize: number }): number => (p.page - 1) * p.pageSize;

/** One page of a list: its rows and the count of every matching row, read side by side, in the one page envelope. */
export async function readPage<R, T>(p: { page: number; pageSize: number }, rows: PromiseLike<R[]>, totals: PromiseLike<Array<{ total: number }>>, map: (row: R) => T): Promise<Page<T>> {
  const [list, counted] = await Promise.all([rows, totals]);
  return { items: list.map(map), page: p.page, pageSize: p.pageSize, total: counted[0]?.total ?? 0 };
}
