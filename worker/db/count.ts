import { getTableName, sql, type SQL } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";

const qualified = (column: SQLiteColumn) => sql`${sql.identifier(getTableName(column.table))}.${sql.identifier(column.name)}`;

/**
 * `(SELECT COUNT(*) FROM <child> WHERE child.fk = parent.pk)`, every column qualified by its table.
 * drizzle renders columns unqualified in a single-table select, so the plain template
 * sql`(SELECT COUNT(*) FROM ${contracts} WHERE ${contracts.planId} = ${plans.id})` becomes
 * `WHERE "plan_id" = "id"`, where "id" is the CHILD's own id: the count was always 0 (issue 8, Plans).
 */
export function countOf(childForeignKey: SQLiteColumn, parentKey: SQLiteColumn): SQL<number> {
  return sql<number>`(SELECT COUNT(*) FROM ${sql.identifier(getTableName(childForeignKey.table))} WHERE ${qualified(childForeignKey)} = ${qualified(parentKey)})`;
}
