/**
 * API latency against local workerd (`wrangler dev`, seeded): /api/health as the baseline, a signed-in D1 read
 * (organizations list: the session re-checked in the same D1 statement as the page, docs/decisions/014a; the Worker
 * runs without wrangler dev's DevTools inspector, scripts/bench-worker.mjs) and
 * sign-in (PBKDF2 at 100,000 iterations). Targets in README.md, Performance.
 * Local numbers: reads are pessimistic (extra Miniflare hops), writes optimistic (no replication).
 */
import os from "node:os";
import { workerdCpuMs } from "../scripts/proc-cpu.mjs";

export const name = "http";
export const needsWorker = true;

export async function run({ baseUrl, measure }) {
  const origin = baseUrl;
  const login = () =>
    fetch(`${origin}/api/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json", origin },
      body: JSON.stringify({ email: "admin@cumulus.example", password: "Cumulus-Admin-2026" }),
    });
  const res = await login();
  const cookie = (res.headers.get("set-cookie") ?? "").split(";")[0];
  const health = async () => void (await (await fetch(`${origin}/api/health`)).arrayBuffer());
  const orgs = async () => void (await (await fetch(`${origin}/api/organizations?pageSize=25`, { headers: { cookie } })).arrayBuffer());
  // Five interleaved rounds, so a shared machine's changing load hits both sides of each ratio alike; each figure
  // is the median of the rounds' medians, each ratio the median of the rounds' ratios.
  // Beside latency, the workerd processes' CPU per request (/proc): it counts the Worker's work, not the wait for
  // a core on a shared machine, nor the load generator (docs/decisions/014a-one-round-trip-reads.md).
  const cpu = { health: 0, organizations: 0, requests: 0 };
  const timed = async (key, fn, opts) => {
    const before = workerdCpuMs();
    const result = await measure(fn, opts);
    const after = workerdCpuMs();
    if (before !== null && after !== null) cpu[key] += after - before;
    if (key === "health") cpu.requests += (opts.warmup ?? 0) + opts.runs;
    return result;
  };
  const ROUNDS = 5;
  const rounds = [];
  const loadBefore = os.loadavg()[0];
  for (let r = 0; r < ROUNDS; r++) {
    rounds.push({
      health_c1: await timed("health", health, { warmup: 20, runs: 100 }),
      organizations_read_c1: await timed("organizations", orgs, { warmup: 20, runs: 100 }),
      health_c10: await timed("health", health, { warmup: 20, runs: 200, concurrency: 10 }),
      organizations_read_c10: await timed("organizations", orgs, { warmup: 20, runs: 200, concurrency: 10 }),
    });
  }
  const round3 = (v) => Math.round(v * 1000) / 1000;
  const median = (values) => [...values].sort((x, y) => x - y)[Math.floor(values.length / 2)];
  const pooled = (key) => ({
    runs: rounds.reduce((n, round) => n + round[key].runs, 0),
    concurrency: rounds[0][key].concurrency,
    p50_ms: median(rounds.map((round) => round[key].p50_ms)),
    p99_ms: median(rounds.map((round) => round[key].p99_ms)),
    rps: median(rounds.map((round) => round[key].rps)),
  });
  const ratio = (read, base) => Math.round(median(rounds.map((round) => round[read].p50_ms / round[base].p50_ms)) * 100) / 100;
  const results = {
    health_c1: pooled("health_c1"),
    health_c10: pooled("health_c10"),
    organizations_read_c1: pooled("organizations_read_c1"),
    organizations_read_c10: pooled("organizations_read_c10"),
    sign_in_c1: await measure(async () => void (await (await login()).arrayBuffer()), { warmup: 5, runs: 60 }),
    ratio_read_vs_health_p50: ratio("organizations_read_c1", "health_c1"),
    ratio_read_vs_health_p50_c10: ratio("organizations_read_c10", "health_c10"),
    ...(cpu.health > 0 ? {
      workerd_cpu_ms_per_request: { health: round3(cpu.health / cpu.requests), organizations_read: round3(cpu.organizations / cpu.requests) },
      ratio_read_vs_health_cpu: Math.round((cpu.organizations / cpu.health) * 100) / 100,
    } : {}),
    // This entry's own load (bench/results.json's machine load is that of the last run, whichever it was).
    loadAverage1m: { before: Number(loadBefore.toFixed(2)), after: Number(os.loadavg()[0].toFixed(2)) },
  };
  return results;
}
