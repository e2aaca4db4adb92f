#!/usr/bin/env node
/**
 * `npm run bench [-- 10000 100000]`: measures billing-run throughput (invoices/s) in local workerd for each
 * size (default 10,000), one fresh database per size, and writes bench/results/billing-run-<N>.json.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const sizes = process.argv.slice(2).map(Number).filter((n) => Number.isInteger(n) && n > 0);
const outDir = path.join(ROOT, "bench", "results");
mkdirSync(outDir, { recursive: true });

for (const n of sizes.length ? sizes : [10_000]) {
  console.log(`billing run over ${n} subscriptions…`);
  const res = spawnSync(path.join(ROOT, "node_modules/.bin/vitest"), ["run", "--config", "bench/vitest.bench.config.ts"], {
    cwd: ROOT, encoding: "utf8", env: { ...process.env, BENCH_SUBSCRIPTIONS: String(n), WRANGLER_SEND_METRICS: "false" }, maxBuffer: 64 * 1024 * 1024,
  });
  const line = `${res.stdout}\n${res.stderr}`.split("\n").find((l) => l.includes("BENCH_RESULT "));
  if (res.status !== 0 || !line) {
    console.error(res.stdout.slice(-4000), res.stderr.slice(-4000));
    process.exit(1);
  }
  const result = { ...JSON.parse(line.slice(line.indexOf("BENCH_RESULT ") + 13)), measuredAt: new Date().toISOString(), node: process.version };
  writeFileSync(path.join(outDir, `billing-run-${n}.json`), `${JSON.stringify(result, null, 2)}\n`);
  console.log(`${result.invoices} invoices in ${result.seconds} s → ${result.invoicesPerSecond} invoices/s (pages of ${result.pageSize}, slowest page ${result.slowestPageMs} ms)`);
}
