/**
 * Billing-run throughput (invoices/s) in local workerd over N subscriptions (performance.md targets #3, #4):
 * runs bench/billing-run.bench.ts through bench/vitest.bench.config.ts, one fresh database per size.
 * Sizes from BENCH_SUBSCRIPTIONS (comma-separated), default 10000.
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import os from "node:os";

export const name = "billing";
export const needsWorker = false;

export async function run({ root }) {
  const sizes = (process.env.BENCH_SUBSCRIPTIONS ?? "10000").split(",").map(Number).filter((n) => Number.isInteger(n) && n > 0);
  const results = {};
  for (const n of sizes) {
    const res = spawnSync(join(root, "node_modules/.bin/vitest"), ["run", "--config", "bench/vitest.bench.config.ts"], {
      cwd: root, encoding: "utf8", env: { ...process.env, BENCH_SUBSCRIPTIONS: String(n), WRANGLER_SEND_METRICS: "false" }, maxBuffer: 64 * 1024 * 1024,
    });
    const line = `${res.stdout}\n${res.stderr}`.split("\n").find((l) => l.includes("BENCH_RESULT "));
    if (res.status !== 0 || !line) throw new Error(`billing benchmark failed:\n${res.stdout.slice(-4000)}${res.stderr.slice(-4000)}`);
    results[`subscriptions_${n}`] = { ...JSON.parse(line.slice(line.indexOf("BENCH_RESULT ") + 13)), loadAverage1m: Number(os.loadavg()[0].toFixed(2)) };
  }
  return results;
}
