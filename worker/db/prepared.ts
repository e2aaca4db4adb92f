/**
 * Hot-path reads as SQL text built once per isolate (docs/decisions/014a-one-round-trip-reads.md). drizzle's
 * query builder writes the statement the first time a shape is asked for — values as named placeholders
 * (`sql.placeholder("orgId")`) — and every later request only binds values and runs the text: no query
 * building, no `is()` walks, no tracing span, rows decoded positionally. Through the session middleware's D1
 * binding the statement still carries the session re-check (db/speculative.ts).
 *
 * For flat selections only (each field a column or a sql`` expression). `shape` must name everything the
 * builder branches on, and come from a finite set (a role, whether a filter is present — never a value): the
 * text is cached under it for the isolate's life. A value the builder used without a placeholder would be baked
 * into every later request's SQL, so identity values (organization, user) go in as placeholders; one that
 * is not given a value at run time fails loudly (drizzle's fillPlaceholders).
 */
import { Column, fillPlaceholders, is, SQL } from "drizzle-orm";
import { QueryBuilder, type SQLiteColumn } from "drizzle-orm/sqlite-core";
import type { AppDb } from "./client";

type Field = SQLiteColumn | SQL | SQL.Aliased;
type Decode = ((value: unknown) => unknown) | null;

interface Built {
  sql: string;
  params: unknown[];
  keys: string[];
  decoders: Decode[];
}

const builder = new QueryBuilder();
const built = new Map<string, Built>();
/** Shapes are a small finite set by construction; the bound only catches a misuse (a value in a shape key). */
const MAX_SHAPES = 1_000;

function decoderOf(field: Field): Decode {
  if (is(field, Column)) return (v) => field.mapFromDriverValue(v);
  // A sql`` expression's decoder (`.mapWith()`, identity by default) is internal in drizzle's types.
  const { decoder } = (is(field, SQL) ? field : (field as SQL.Aliased).sql) as unknown as { decoder: { mapFromDriverValue(v: unknown): unknown } };
  return (v) => decoder.mapFromDriverValue(v);
}

type Selecting<F extends Record<string, Field>> = ReturnType<typeof builder.select<F>>;

/**
 * Runs the SELECT `build` makes from `select(fields)`, built once per `shape`, with `values` for its
 * placeholders; rows as drizzle would map them (`{ [key of fields]: value }`).
 */
export async function preparedSelect<F extends Record<string, Field>, Q extends { toSQL(): { sql: string; params: unknown[] }; _: { result: unknown[] } }>(
  db: AppDb,
  shape: string,
  fields: F,
  build: (select: Selecting<F>) => Q,
  values: Record<string, unknown>,
): Promise<Q["_"]["result"]> {
  let statement = built.get(shape);
  if (!statement) {
    const query = build(builder.select(fields)).toSQL();
    statement = { sql: query.sql, params: query.params, keys: Object.keys(fields), decoders: Object.values(fields).map(decoderOf) };
    if (built.size >= MAX_SHAPES) built.clear();
    built.set(shape, statement);
  }
  const { keys, decoders } = statement;
  const rows = await db.$client.prepare(statement.sql).bind(...fillPlaceholders(statement.params, values)).raw();
  return rows.map((row) => {
    const out: Record<string, unknown> = {};
    for (let i = 0; i < keys.length; i++) out[keys[i]!] = row[i] === null ? null : decoders[i]!(row[i]);
    return out;
  });
}
