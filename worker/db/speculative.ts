/**
 * A D1 binding that validates a speculation in the same round trip as the request's first read
 * (docs/decisions/014a-one-round-trip-reads.md). The session middleware runs a signed-in GET with the principal
 * remembered from an earlier request and hands the route this binding: the first read the route makes goes out
 * as ONE batch `[check, read]` — one round trip, one snapshot — and the check's row says whether the session
 * still grants exactly that principal. If the route makes no read, the check runs alone before the response.
 *
 * Safety: reads have no effect, so the worst a stale speculation can do is compute a response that is then
 * thrown away (the middleware answers from a fresh resolution instead). Anything that is not a plain SELECT
 * waits for the check to pass before it runs, and fails with SpeculationRefused if it did not.
 *
 * drizzle reads rows positionally (`raw()`). Such a SELECT carries the check as one more column — a scalar
 * expression appended to its select list, its parameters bound after the list's own — so the first read is ONE
 * statement (a batch of two costs ~0.7 ms more locally). Other reads (`all()`, `first()`) go in one batch `[check, read]`, re-written with positional aliases
 * (`… AS "c0", … AS "c1"`) since a batch returns objects keyed by column name and two columns with one name
 * (`organizations.id`, `users.id`) would collapse. A statement whose select list cannot be split safely simply
 * runs on its own (one more round trip, same result).
 */

export class SpeculationRefused extends Error {
  constructor() {
    super("The session changed while the request ran");
  }
}

export interface Speculation {
  /** The check statement (one row: the session as the database has it now). */
  sql: string;
  params: unknown[];
  /** Whether that row still grants exactly what the request ran with. */
  accept(row: Record<string, unknown> | undefined): boolean;
  /**
   * The same check as one scalar SQL expression with its own `?` parameters (a SELECT joining it adds it as one
   * more column: one statement instead of a batch of two), and whether its value still grants exactly that.
   */
  column: { sql: string; params?: unknown[]; accept(value: unknown): boolean };
}

const isSelect = (sql: string) => /^\s*select\b/i.test(sql);

/** D1's limit of bound parameters per statement: a read and its check column together must stay within it. */
const MAX_BOUND_PARAMETERS = 100;

/**
 * A statement's select list split once: its text up to the list's end with the items aliased, the rest, and how
 * many `?` parameters the list itself has (a column appended to it takes its parameters after those).
 */
interface SplitSelect {
  head: string;
  tail: string;
  columns: number;
  paramsBefore: number;
}

/** The SQL outside string literals and quoted identifiers. */
const unquoted = (sql: string) => sql.replace(/'(?:[^']|'')*'|"(?:[^"]|"")*"|`[^`]*`/g, "");

// The hot reads send the same text again and again (db/prepared.ts): each statement is split once per isolate.
const splits = new Map<string, SplitSelect | null>();
const MAX_SPLITS = 1_000;

function splitSelect(sql: string): SplitSelect | null {
  const head = /^\s*select\s+(distinct\s+)?/i.exec(sql);
  if (!head) return null;
  const items: string[] = [];
  let depth = 0;
  let quote: string | null = null;
  let start = head[0].length;
  let i = start;
  for (; i < sql.length; i++) {
    const ch = sql[i]!;
    if (quote) {
      if (ch === quote) quote = null;
    } else if (ch === "'" || ch === '"' || ch === "`") quote = ch;
    else if (ch === "(") depth++;
    else if (ch === ")") depth--;
    else if (depth === 0 && ch === ",") {
      items.push(sql.slice(start, i));
      start = i + 1;
    } else if (depth === 0 && /\s/.test(ch) && /^\s+from\b/i.test(sql.slice(i, i + 40))) break;
  }
  if (quote || depth !== 0) return null;
  items.push(sql.slice(start, i));
  if (items.some((item) => /\bas\s+("[^"]*"|\w+)\s*$/i.test(item.trim()) || /\bunion\b|\bintersect\b|\bexcept\b/i.test(sql.slice(i)))) return null;
  // Numbered or named parameters would not shift with the appended column's: such a statement is left alone.
  if (/\?\d|[:@$][A-Za-z_]/.test(unquoted(sql))) return null;
  const aliased = items.map((item, n) => `${item.trim()} AS "c${n}"`).join(", ");
  const paramsBefore = unquoted(sql.slice(0, i)).split("?").length - 1;
  return { head: `${head[0]}${aliased}`, tail: sql.slice(i), columns: items.length, paramsBefore };
}

/**
 * Splits the top-level select list of `select [distinct] a, b, (select …) from …` (drizzle's shape) and aliases
 * each item `c<i>`; `extra` is appended as one more item (`columns` counts the statement's own; `paramsBefore`,
 * the statement's `?` parameters before it). Null when the statement is not of that shape (CTE, compound
 * select, an item already aliased, numbered or named parameters).
 */
export function positionalSelect(sql: string, extra?: string): { sql: string; columns: number; paramsBefore: number } | null {
  let split = splits.get(sql);
  if (split === undefined) {
    split = splitSelect(sql);
    if (splits.size >= MAX_SPLITS) splits.clear();
    splits.set(sql, split);
  }
  if (!split) return null;
  const more = extra ? `, ${extra.trim()} AS "c${split.columns}"` : "";
  return { sql: `${split.head}${more}${split.tail}`, columns: split.columns, paramsBefore: split.paramsBefore };
}

class SpeculativeStatement {
  constructor(
    readonly db: SpeculativeD1,
    readonly sql: string,
    readonly inner: D1PreparedStatement,
    readonly params: unknown[] = [],
  ) {}

  bind(...values: unknown[]): SpeculativeStatement {
    return new SpeculativeStatement(this.db, this.sql, this.inner.bind(...values), values);
  }

  async all<T>(): Promise<D1Result<T>> {
    return ((await this.db.alongside(this)) ?? (await this.inner.all<T>())) as D1Result<T>;
  }

  async run<T>(): Promise<D1Result<T>> {
    return ((await this.db.alongside(this)) ?? (await this.inner.run<T>())) as D1Result<T>;
  }

  async first<T>(column?: string): Promise<T | null> {
    const result = await this.db.alongside(this);
    if (!result) return column === undefined ? this.inner.first<T>() : this.inner.first<T>(column);
    const row = (result.results[0] ?? null) as Record<string, unknown> | null;
    return (column === undefined ? row : (row?.[column] ?? null)) as T | null;
  }

  async raw<T = unknown[]>(options?: { columnNames?: boolean }): Promise<T[]> {
    const rows = options?.columnNames ? undefined : await this.db.withCheckColumn(this);
    if (rows) return rows as T[];
    return options?.columnNames ? (this.inner.raw<T>({ columnNames: true }) as unknown as Promise<T[]>) : this.inner.raw<T>();
  }
}

export class SpeculativeD1 {
  /** Settles with the check's verdict once it has run (alone or alongside a read). */
  private verdict: Promise<boolean> | null = null;

  constructor(
    readonly inner: D1Database,
    private readonly speculation: Speculation,
  ) {}

  prepare(sql: string): SpeculativeStatement {
    return new SpeculativeStatement(this, sql, this.inner.prepare(sql));
  }

  private checkStatement() {
    return this.inner.prepare(this.speculation.sql).bind(...this.speculation.params);
  }

  /**
   * Runs `statement` (or its positional form) in one batch with the check when the check has not run yet and
   * the statement is a read; undefined when the caller should run it directly (after `validate()` if a write).
   */
  async alongside(statement: SpeculativeStatement, form: D1PreparedStatement = statement.inner): Promise<D1Result | undefined> {
    if (!isSelect(statement.sql)) {
      await this.validate();
      return undefined;
    }
    if (this.verdict) return undefined;
    const batch = this.inner.batch([this.checkStatement(), form]);
    this.verdict = batch.then(
      ([check]) => this.speculation.accept((check?.results as Record<string, unknown>[] | undefined)?.[0]),
      () => this.runCheck(),
    );
    return (await batch)[1];
  }

  /**
   * Runs a SELECT with the check as its last column — one statement, one snapshot — when the check has not run
   * yet; the rows without that column, or undefined when the caller should run the statement itself (not of the
   * splittable shape, the check already done). A read that returns no row cannot carry the check: it runs alone.
   */
  async withCheckColumn(statement: SpeculativeStatement): Promise<unknown[][] | undefined> {
    if (!isSelect(statement.sql)) {
      await this.validate();
      return undefined;
    }
    if (this.verdict) return undefined;
    const { column } = this.speculation;
    const own = statement.params;
    const extra = column.params ?? [];
    const positional = own.length + extra.length <= MAX_BOUND_PARAMETERS ? positionalSelect(statement.sql, column.sql) : null;
    if (!positional) return undefined;
    const at = positional.paramsBefore;
    const params = extra.length ? [...own.slice(0, at), ...extra, ...own.slice(at)] : own;
    const read = this.inner.prepare(positional.sql).bind(...params).raw();
    this.verdict = read.then(
      (rows) => (rows.length ? column.accept(rows[0]![positional.columns]) : this.runCheck()),
      () => this.runCheck(),
    );
    return (await read).map((row) => row.slice(0, positional.columns));
  }

  async batch<T = unknown>(statements: SpeculativeStatement[]): Promise<D1Result<T>[]> {
    if (statements.some((s) => !isSelect(s.sql))) await this.validate();
    return this.inner.batch<T>(statements.map((s) => s.inner));
  }

  async exec(query: string): Promise<D1ExecResult> {
    await this.validate();
    return this.inner.exec(query);
  }

  private async runCheck(): Promise<boolean> {
    const row = await this.checkStatement().first<Record<string, unknown>>();
    return this.speculation.accept(row ?? undefined);
  }

  /** The check's verdict, running it alone if no read carried it. */
  settle(): Promise<boolean> {
    this.verdict ??= this.runCheck();
    return this.verdict;
  }

  /** Before anything that is not a read: the speculation must hold. */
  async validate(): Promise<void> {
    if (!(await this.settle())) throw new SpeculationRefused();
  }

  /** As a D1Database for drizzle (which only prepares statements, batches them and execs). */
  asD1(): D1Database {
    return this as unknown as D1Database;
  }
}
