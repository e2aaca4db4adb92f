/**
 * The conditional-batch vocabulary (worker/db/atomic.ts, docs/decisions/004-d1-atomicity.md) against real D1:
 * the guard rolls back the whole batch and is recognised as itself only; insertIfChanged follows its statement.
 */
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { abortUnlessChanged, atomically, insertIfChanged, isGuardAbort, rawStatement } from "../../../worker/db/atomic";
import { db } from "../../factories";

const key = () => `k-${crypto.randomUUID()}`;
const valueOf = async (k: string) => (await env.DB.prepare("SELECT v FROM atomic_probe WHERE k = ?").bind(k).first<{ v: number }>())?.v ?? null;
const claim = (k: string, from: number, to: number) => rawStatement("UPDATE atomic_probe SET v = ? WHERE k = ? AND v = ?", [to, k, from]);

beforeAll(async () => {
  await env.DB.prepare("CREATE TABLE IF NOT EXISTS atomic_probe (k TEXT PRIMARY KEY, v INTEGER NOT NULL CHECK (v >= 0))").run();
});

describe("abortUnlessChanged", () => {
  it("lets the batch commit when the conditional update before it won", async () => {
    const k = key();
    await env.DB.prepare("INSERT INTO atomic_probe (k, v) VALUES (?, 1)").bind(k).run();
    const other = key();
    await atomically(db(), [claim(k, 1, 2), abortUnlessChanged(), rawStatement("INSERT INTO atomic_probe (k, v) VALUES (?, 7)", [other])]);
    expect(await valueOf(k)).toBe(2);
    expect(await valueOf(other)).toBe(7);
  });

  it("rolls back every statement of the batch when the update lost its race, and is recognised as the guard", async () => {
    const k = key();
    await env.DB.prepare("INSERT INTO atomic_probe (k, v) VALUES (?, 1)").bind(k).run();
    const other = key();
    const err = await atomically(db(), [
      rawStatement("INSERT INTO atomic_probe (k, v) VALUES (?, 7)", [other]),
      claim(k, 5, 6),
      abortUnlessChanged(),
    ]).catch((e: unknown) => e);
    expect(isGuardAbort(err)).toBe(true);
    expect(await valueOf(other)).toBeNull();
    expect(await valueOf(k)).toBe(1);
  });

  it("another CHECK failure is not mistaken for a lost race", async () => {
    const err = await atomically(db(), [rawStatement("INSERT INTO atomic_probe (k, v) VALUES (?, -1)", [key()])]).catch((e: unknown) => e);
    expect(String(err)).toMatch(/CHECK constraint failed/);
    expect(isGuardAbort(err)).toBe(false);
  });
});

describe("insertIfChanged", () => {
  it("inserts after a statement that changed a row, and not after one that changed nothing", async () => {
    const k = key();
    await env.DB.prepare("INSERT INTO atomic_probe (k, v) VALUES (?, 1)").bind(k).run();
    const won = key();
    const lost = key();
    await atomically(db(), [claim(k, 1, 2), insertIfChanged("atomic_probe", { k: won, v: 3 }), claim(k, 1, 9), insertIfChanged("atomic_probe", { k: lost, v: 4 })]);
    expect(await valueOf(won)).toBe(3);
    expect(await valueOf(lost)).toBeNull();
    expect(await valueOf(k)).toBe(2);
  });
});
