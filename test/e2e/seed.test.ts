/**
 * The demo seed (scripts/seed.mjs) on a scratch database of its own: a fresh database gets a billing history up to
 * yesterday that adds up (lines → subtotal → total, balanced ledger, gapless numbers, subscriptions billed exactly
 * through what was due); running the seed again the same day, or on a later day, changes nothing.
 */
import { execFile } from "node:child_process";
import { rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { describe, expect, test } from "vitest";
import { periodAt, periodIndexOf, type Interval } from "../../worker/domain/billing/dates";
import { E2E_PASSWORD_PEPPER } from "./global-setup";

const ROOT = resolve(import.meta.dirname, "../..");
const STATE = ".wrangler/e2e-seed-state";
const WRANGLER = join(ROOT, "node_modules/wrangler/bin/wrangler.js");
const run = promisify(execFile);
const env = { ...process.env, WRANGLER_SEND_METRICS: "false", NO_COLOR: "1", CI: "true" };
const isoDay = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

async function seed(today: string) {
  await run(process.execPath, ["scripts/seed.mjs", "--persist-to", STATE, "--pepper", E2E_PASSWORD_PEPPER, "--today", today], { cwd: ROOT, env, maxBuffer: 16 << 20 });
}

/** The rows of each statement in `command` (one wrangler call: each costs a second or more). */
async function sql(command: string): Promise<unknown[][]> {
  const { stdout } = await run(process.execPath, [WRANGLER, "d1", "execute", "DB", "--local", "--persist-to", STATE, "--json", "--command", command], { cwd: ROOT, env, maxBuffer: 16 << 20 });
  return (JSON.parse(stdout) as Array<{ results: unknown[] }>).map((r) => r.results);
}

/** Everything that describes the history, in one query. */
const SNAPSHOT = `
  SELECT
    (SELECT COUNT(*) FROM invoices) AS invoices,
    (SELECT COUNT(*) FROM invoices WHERE status = 'paid') AS paid,
    (SELECT COUNT(*) FROM invoices WHERE status = 'unpaid' AND due_date < '__TODAY__') AS overdue,
    (SELECT COUNT(*) FROM ledger_transactions) AS txns,
    (SELECT COUNT(*) FROM ledger_transactions WHERE kind = 'offline_payment') AS payments,
    (SELECT COUNT(*) FROM invoice_lines) AS lines,
    (SELECT MAX(issue_date) FROM invoices) AS lastIssue,
    (SELECT MIN(issue_date) FROM invoices) AS firstIssue,
    (SELECT COUNT(*) FROM (SELECT transaction_id FROM ledger_entries GROUP BY transaction_id HAVING SUM(amount_minor) <> 0)) AS unbalanced,
    (SELECT COUNT(*) FROM invoices i WHERE i.subtotal_minor <> (SELECT SUM(net_minor) FROM invoice_lines l WHERE l.invoice_id = i.id)
       OR i.total_minor <> i.subtotal_minor + i.tax_minor
       OR i.tax_minor <> COALESCE((SELECT SUM(tax_minor) FROM invoice_taxes t WHERE t.invoice_id = i.id), 0)) AS inconsistent,
    (SELECT COUNT(*) FROM invoices WHERE number IS NULL OR status = 'draft') AS unnumbered,
    (SELECT group_concat(series || ':' || next_number) FROM invoice_number_series) AS series,
    (SELECT group_concat(n) FROM (SELECT series || ':' || COUNT(*) AS n FROM invoices GROUP BY series)) AS perSeries,
    (SELECT COUNT(*) FROM billing_runs WHERE finished_at IS NULL) AS unfinished`;

type Snapshot = Record<string, number | string | null>;

describe("seeded billing history", () => {
  test("a fresh database gets a consistent history up to yesterday; re-seeding the same or a later day changes nothing", async () => {
    rmSync(join(ROOT, STATE), { recursive: true, force: true });
    await run(process.execPath, [WRANGLER, "d1", "migrations", "apply", "DB", "--local", "--persist-to", STATE], { cwd: ROOT, env });
    const today = isoDay(0);
    await seed(today);
    const snapshot = SNAPSHOT.replace("__TODAY__", today);
    const snap = async () => (await sql(snapshot))[0]![0] as Snapshot;
    const [snapRows, subRows] = await sql(`${snapshot};
      SELECT model, billing_interval, anchor_date, billed_through FROM resource_subscriptions WHERE id LIKE 'sub_%' AND status IN ('live', 'trial')`);
    const first = snapRows![0] as Snapshot;

    // A few months of issued, paid and overdue invoices, some offline payments, all before today.
    expect(first.invoices as number).toBeGreaterThanOrEqual(10);
    expect(first.paid as number).toBeGreaterThan(0);
    expect(first.overdue as number).toBeGreaterThan(0);
    expect(first.payments).toBe(first.paid);
    expect(first.txns).toBe((first.invoices as number) + (first.paid as number));
    expect(String(first.lastIssue) < today).toBe(true);
    expect(String(first.firstIssue) >= isoDay(-120)).toBe(true);
    // It adds up, and numbers are gapless per series (next = issued + 1).
    expect([first.unbalanced, first.inconsistent, first.unnumbered, first.unfinished]).toEqual([0, 0, 0, 0]);
    const issuedPerSeries = Object.fromEntries(String(first.perSeries).split(",").map((x) => x.split(":")).map(([s, n]) => [s, Number(n) + 1]));
    const next = Object.fromEntries(String(first.series).split(",").map((x) => x.split(":")).map(([s, n]) => [s, Number(n)]));
    expect(next).toEqual(issuedPerSeries);

    // Every subscription is billed exactly through what a daily run would have billed by yesterday: the next
    // run bills nothing from the past (fixed fees are due at a period's start, usage at its end).
    const subs = subRows as Array<{ model: "fixed" | "payg"; billing_interval: Interval; anchor_date: string; billed_through: string | null }>;
    expect(subs.length).toBeGreaterThan(5);
    for (const s of subs) {
      const k = s.billed_through ? periodIndexOf(s.anchor_date, s.billing_interval, s.billed_through) : 0;
      const nextPeriod = periodAt(s.anchor_date, s.billing_interval, k);
      const nextDue = s.model === "fixed" ? nextPeriod.start : nextPeriod.end;
      expect(nextDue >= today, JSON.stringify(s)).toBe(true);
      if (s.billed_through && k > 0) {
        const last = periodAt(s.anchor_date, s.billing_interval, k - 1);
        expect((s.model === "fixed" ? last.start : last.end) < today, JSON.stringify(s)).toBe(true);
      }
    }

    // Running it again: the same day, then 40 days later.
    await seed(today);
    expect(await snap()).toEqual(first);
    await seed(isoDay(40));
    expect(await snap()).toEqual(first);
  }, 180_000);
});
