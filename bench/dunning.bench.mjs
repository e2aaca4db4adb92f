/**
 * Dunning at scale (docs/decisions/018-dunning.md): 10,000 organizations driven through every phase by the
 * pure machine on a simulated clock, in waves, hosted the way OrgBilling hosts it (one alarm per object, a
 * fresh balance before each tick). Counts alarms and Durable Object requests per organization per phase and
 * measures the machine's CPU per alarm. What it does not include: the D1 reads and effect writes of a real
 * alarm (see the DO tests); those are per-alarm constants (3 reads, at most 2 batches) to add when costing.
 */
import { build } from "esbuild";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

export const name = "dunning";
export const needsWorker = false;

const DAY = 86_400_000;

export async function run({ root }) {
  const out = join(mkdtempSync(join(tmpdir(), "dunning-bench-")), "machine.mjs");
  await build({ entryPoints: [join(root, "worker/domain/dunning/machine.ts")], bundle: true, format: "esm", platform: "neutral", outfile: out, logLevel: "error" });
  const m = await import(pathToFileURL(out).href);
  const policy = { grace: { enabled: true, days: 7 }, warning: { enabled: true, days: 7 }, suspended: { enabled: true, days: 14 }, delete_notice: { enabled: true, days: 7 }, warningEveryDays: 3 };
  const ORGS = 10_000, WAVE = 1_000;
  const start = Date.UTC(2026, 0, 1);
  const alarms = {}, requests = { entry: 0, alarm: 0 };
  let steps = 0, cpuMicros = 0;
  for (let w = 0; w < ORGS / WAVE; w++) {
    for (let i = 0; i < WAVE; i++) {
      const anchor = start + ((w * WAVE + i) % 24) * 3_600_000;
      let c = m.initialCase(anchor - DAY);
      const t0 = process.cpuUsage();
      let s = m.step(c, { kind: "balance", oldestUnpaidDueAt: anchor, policy }, anchor);
      requests.entry++;
      c = s.next;
      let at = s.alarmAt;
      while (at !== null) {
        const state = c.state;
        alarms[state] = (alarms[state] ?? 0) + 1;
        requests.alarm++;
        const b = m.step(c, { kind: "balance", oldestUnpaidDueAt: anchor, policy }, at);
        const t = m.step(b.next, { kind: "tick" }, at);
        c = t.next;
        at = t.alarmAt;
        steps++;
      }
      const d = process.cpuUsage(t0);
      cpuMicros += d.user + d.system;
      if (c.state !== "terminated") throw new Error(`org ${i} ended in ${c.state}`);
    }
  }
  const perOrg = Object.fromEntries(Object.entries(alarms).map(([k, v]) => [k, v / ORGS]));
  const alarmsPerOrg = requests.alarm / ORGS;
  return {
    organizations: ORGS,
    waves: ORGS / WAVE,
    alarms_per_org_by_phase: perOrg,
    alarms_per_org: alarmsPerOrg,
    do_requests_per_org: (requests.alarm + requests.entry) / ORGS,
    machine_cpu_us_per_alarm: Number((cpuMicros / steps).toFixed(2)),
    // Durable Objects bill requests (alarms count as requests) and duration; a dunned organization costs
    // this many requests over its whole case; organizations not in dunning cost none.
    requests_at_100k_orgs_all_dunned: Math.round(((requests.alarm + requests.entry) / ORGS) * 100_000),
  };
}
