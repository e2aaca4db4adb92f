/**
 * Pacing (docs/decisions/019-collection.md, "Pacing"): the collect consumer's charges per second against the local
 * Stripe rate-limited at Stripe's 25/s and at 2/s (far below the pacer's 20/s), through the test in
 * test/worker/domain/collection/pacing.test.ts with PACING_N invoices per limit (default 200 here). Records its
 * `BENCH_PACING` line: charges/s, the 429s the gateway answered, those the consumer absorbed, invoices given back to
 * the queue, unhandled 429s (invoices left unpaid) and double charges.
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import os from "node:os";

export const name = "pacing";
export const needsWorker = false;

export async function run({ root }) {
  const result = spawnSync(
    process.execPath,
    [join(root, "node_modules/vitest/vitest.mjs"), "run", "--config", "vitest.config.ts", "test/worker/domain/collection/pacing.test.ts"],
    { cwd: root, env: { ...process.env, PACING_N: process.env.PACING_N ?? "200", NODE_EXTRA_CA_CERTS: join(root, "test/fakes/tls/ca.pem") }, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 },
  );
  const line = `${result.stdout}\n${result.stderr}`.split("\n").find((l) => l.includes("BENCH_PACING "));
  if (!line) throw new Error(`pacing benchmark failed:\n${result.stdout.slice(-4000)}${result.stderr.slice(-4000)}`);
  return { ...JSON.parse(line.slice(line.indexOf("BENCH_PACING ") + 13)), testPassed: result.status === 0, loadAverage1m: Number(os.loadavg()[0].toFixed(2)) };
}
