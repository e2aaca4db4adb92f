/**
 * A D1 binding that records what reaches D1 and checks each statement against production D1's limits, which
 * local D1 does not enforce (they are Cloudflare's documented D1 limits): ≤ 100 bound parameters and ≤ 100 KB of SQL per statement, ≤ 2 MB
 * per value. Used by tests (one billing page) and by the billing benchmark (every page at scale).
 */
export const D1_LIMITS = { paramsPerStatement: 100, sqlBytes: 100_000, valueBytes: 2_000_000, queriesPerInvocation: 1_000 } as const;

export interface D1Usage {
  /** Statements executed (each statement of a batch counts, as D1 counts queries). */
  statements: number;
  roundTrips: number;
  maxParams: number;
  maxSqlBytes: number;
  maxValueBytes: number;
  /** Bytes of all bound values of the largest batch. */
  maxBatchBytes: number;
  violations: string[];
  /** One line per round trip: `batch of N` or `<method> <SQL start>`. */
  trips: string[];
}

const bytes = (v: unknown) => (typeof v === "string" ? new TextEncoder().encode(v).length : 8);

export function limitCheckingD1(inner: D1Database): { d1: D1Database; usage: D1Usage; reset(): void } {
  const usage: D1Usage = { statements: 0, roundTrips: 0, maxParams: 0, maxSqlBytes: 0, maxValueBytes: 0, maxBatchBytes: 0, violations: [], trips: [] };
  const targets = new WeakMap<object, { stmt: D1PreparedStatement; sql: string; params: unknown[] }>();
  const record = (list: Array<{ sql: string; params: unknown[] }>, trip: string) => {
    usage.roundTrips++;
    usage.trips.push(trip);
    let batchBytes = 0;
    for (const { sql, params } of list) {
      usage.statements++;
      const sqlBytes = bytes(sql);
      const valueBytes = Math.max(0, ...params.map(bytes));
      batchBytes += params.reduce<number>((a, v) => a + bytes(v), 0);
      usage.maxParams = Math.max(usage.maxParams, params.length);
      usage.maxSqlBytes = Math.max(usage.maxSqlBytes, sqlBytes);
      usage.maxValueBytes = Math.max(usage.maxValueBytes, valueBytes);
      if (params.length > D1_LIMITS.paramsPerStatement) usage.violations.push(`${params.length} parameters: ${sql.slice(0, 80)}`);
      if (sqlBytes > D1_LIMITS.sqlBytes) usage.violations.push(`${sqlBytes} bytes of SQL: ${sql.slice(0, 80)}`);
      if (valueBytes > D1_LIMITS.valueBytes) usage.violations.push(`a ${valueBytes}-byte value: ${sql.slice(0, 80)}`);
    }
    usage.maxBatchBytes = Math.max(usage.maxBatchBytes, batchBytes);
  };
  const wrap = (stmt: D1PreparedStatement, sql: string, params: unknown[]): D1PreparedStatement => {
    const proxy = new Proxy(stmt, {
      get(target, key) {
        if (key === "bind") return (...values: unknown[]) => wrap(target.bind(...values), sql, values);
        if (key === "all" || key === "run" || key === "first" || key === "raw") {
          return (...args: unknown[]) => {
            record([{ sql, params }], `${String(key)} ${sql.slice(0, 60)}`);
            return (target[key] as (...a: unknown[]) => unknown).apply(target, args);
          };
        }
        const value = target[key as keyof D1PreparedStatement];
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
    targets.set(proxy, { stmt, sql, params });
    return proxy;
  };
  const d1 = {
    prepare: (sql: string) => wrap(inner.prepare(sql), sql, []),
    batch: (stmts: D1PreparedStatement[]) => {
      const list = stmts.map((s) => targets.get(s) ?? { stmt: s, sql: "?", params: [] });
      record(list, `batch of ${list.length}`);
      return inner.batch(list.map((s) => s.stmt));
    },
    exec: (q: string) => inner.exec(q),
    dump: () => inner.dump(),
    withSession: () => inner.withSession(),
  } as unknown as D1Database;
  return {
    d1,
    usage,
    reset() {
      Object.assign(usage, { statements: 0, roundTrips: 0, maxParams: 0, maxSqlBytes: 0, maxValueBytes: 0, maxBatchBytes: 0, violations: [], trips: [] });
    },
  };
}
