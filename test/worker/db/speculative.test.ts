/**
 * SpeculativeD1 (worker/db/speculative.ts, docs/decisions/014a-one-round-trip-reads.md): the session check rides
 * along with a request's first read as one more column; nothing but a SELECT runs before it has passed.
 * Through the app: routes/session-speculation.{happy,security}.test.ts.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { positionalSelect, SpeculationRefused, SpeculativeD1 } from "../../../worker/db/speculative";

/** A check column that must not be used (the test's reads are not `raw()`). */
const never = { sql: "'unused'", accept: (): boolean => { throw new Error("the check column was not expected here"); } };

describe("before the check has passed", () => {
  it("nothing but a SELECT runs before the check passes", async () => {
    const id = `spec-${crypto.randomUUID()}`;
    const refusing = new SpeculativeD1(env.DB, { sql: "SELECT 1 AS one", params: [], accept: () => false, column: never });
    const write = refusing.prepare("INSERT INTO batch_guard (ok) VALUES (1)");
    await expect(write.run()).rejects.toBeInstanceOf(SpeculationRefused);
    await expect(refusing.batch([refusing.prepare("SELECT 1"), write])).rejects.toBeInstanceOf(SpeculationRefused);
    await expect(refusing.prepare("INSERT INTO batch_guard (ok) VALUES (1) RETURNING ok").raw()).rejects.toBeInstanceOf(SpeculationRefused);
    expect(await env.DB.prepare("SELECT COUNT(*) AS n FROM batch_guard").first("n")).toBe(0);
    // A read runs, and carries the check: the verdict is the check's.
    const reading = new SpeculativeD1(env.DB, { sql: "SELECT ? AS id", params: [id], accept: (row) => row?.id === id, column: never });
    expect(await reading.prepare("SELECT 2 AS two").first("two")).toBe(2);
    expect(await reading.settle()).toBe(true);
  });
});

describe("the check as one more column of a read", () => {
  const check = (verdict: string) => ({ sql: "SELECT 1", params: [], accept: () => false, column: { sql: `'${verdict}'`, accept: (v: unknown) => v === "holds" } });

  it("a raw() read carries the check and returns its own columns only; the verdict is the column's", async () => {
    const holding = new SpeculativeD1(env.DB, check("holds"));
    expect(await holding.prepare("select ? , 'b' from (select 1)").bind("a").raw()).toEqual([["a", "b"]]);
    expect(await holding.settle()).toBe(true);
    const refused = new SpeculativeD1(env.DB, check("revoked"));
    expect(await refused.prepare("select 'a' from (select 1)").raw()).toEqual([["a"]]);
    expect(await refused.settle()).toBe(false);
  });

  it("binds the column's own parameters after those of the read's select list, before the rest", async () => {
    const d1 = new SpeculativeD1(env.DB, { sql: "SELECT 1", params: [], accept: () => false, column: { sql: "(SELECT ? || ?)", params: ["ho", "lds"], accept: (v) => v === "holds" } });
    expect(await d1.prepare("select ?, x from (select 'b' as x) where x = ?").bind("a", "b").raw()).toEqual([["a", "b"]]);
    expect(await d1.settle()).toBe(true);
    // Numbered or named parameters would not shift: such a statement is not split (it runs on its own).
    expect(positionalSelect("select ?1, x from t where x = ?2")).toBeNull();
    expect(positionalSelect("select x from t where x = :x")).toBeNull();
    expect(positionalSelect("select ':x', '?1' from t where x = ?")!.paramsBefore).toBe(0);
  });

  it("a read that returns no row cannot carry it: the check runs alone", async () => {
    let alone = 0;
    const d1 = new SpeculativeD1(env.DB, { sql: "SELECT 1 AS one", params: [], accept: (row) => ++alone > 0 && row?.one === 1, column: never });
    expect(await d1.prepare("select 'a' from (select 1) where 0").raw()).toEqual([]);
    expect(await d1.settle()).toBe(true);
    expect(alone).toBe(1);
  });
});

describe("positional aliases for a read that joins the check's batch", () => {
  it("splits drizzle's select list at top-level commas only", () => {
    const sql = `select "organizations"."id", "reseller"."id", (select count(*) from "users" where "users"."org_id" = "organizations"."id"), 'a, b from c', count(*) over () from "organizations" left join "organizations" "reseller" on x where y limit ?`;
    const p = positionalSelect(sql)!;
    expect(p.columns).toBe(5);
    expect(p.sql).toContain(`"organizations"."id" AS "c0", "reseller"."id" AS "c1"`);
    expect(p.sql).toContain(`'a, b from c' AS "c3", count(*) over () AS "c4" from "organizations"`);
    expect(p.sql.endsWith("limit ?")).toBe(true);
    expect(positionalSelect(sql, "(select 1)")!.sql).toContain(`count(*) over () AS "c4", (select 1) AS "c5" from "organizations"`);
  });

  it("leaves alone what it cannot split safely", () => {
    expect(positionalSelect(`with x as (select 1) select * from x`)).toBeNull();
    expect(positionalSelect(`select a as b from t`)).toBeNull();
    expect(positionalSelect(`select a from t union select b from u`)).toBeNull();
    expect(positionalSelect(`insert into t values (1)`)).toBeNull();
  });

  it("returns rows positionally even when two columns share a name", async () => {
    const d1 = new SpeculativeD1(env.DB, { sql: "SELECT 1 AS ok", params: [], accept: () => true, column: { sql: "'ok'", accept: (v) => v === "ok" } });
    const rows = await d1.prepare(`select t.id, u.id from (select 'x' as id) t, (select 'y' as id) u`).raw();
    expect(rows).toEqual([["x", "y"]]);
    // Plain D1 in a batch would have collapsed them into one `id`.
    const [plain] = await env.DB.batch([env.DB.prepare(`select t.id, u.id from (select 'x' as id) t, (select 'y' as id) u`)]);
    expect(Object.keys(plain!.results[0] as object)).toEqual(["id"]);
  });
});
