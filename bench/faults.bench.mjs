/**
 * Fault injection at scale (docs/decisions/019-collection.md, "Proof"): the test in
 * test/worker/domain/collection/fault-injection.test.ts with FAULT_INJECTION_N charge attempts (default 10,000;
 * BENCH_FAULTS_N overrides) and a fresh seed each time (FAULT_INJECTION_SEED replays one). Records its
 * `BENCH_FAULTS` line: attempts, double charges, mismatches, duration, the faults injected and the verbs' outcomes.
 * A run that found a double charge or a mismatch is recorded too (and its target fails).
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import os from "node:os";

export const name = "faults";
export const needsWorker = false;

export async function run({ root }) {
  const n = process.env.BENCH_FAULTS_N ?? "10000";
  const seed = process.env.FAULT_INJECTION_SEED || String(1 + Math.floor(Math.random() * 2 ** 31));
  const started = performance.now();
  const result = spawnSync(
    process.execPath,
    [join(root, "node_modules/vitest/vitest.mjs"), "run", "--config", "vitest.config.ts", "test/worker/domain/collection/fault-injection.test.ts", "-t", "attempts with"],
    { cwd: root, env: { ...process.env, FAULT_INJECTION_N: n, FAULT_INJECTION_SEED: seed, NODE_EXTRA_CA_CERTS: join(root, "test/fakes/tls/ca.pem") }, encoding: "utf8", maxBuffer: 256 * 1024 * 1024 },
  );
  const line = `${result.stdout}\n${result.stderr}`.split("\n").find((l) => l.includes("BENCH_FAULTS "));
  if (!line) throw new Error(`fault-injection benchmark failed (seed ${seed}):\n${result.stdout.slice(-4000)}${result.stderr.slice(-4000)}`);
  const measured = JSON.parse(line.slice(line.indexOf("BENCH_FAULTS ") + 13));
  return { ...measured, testPassed: result.status === 0, wallSeconds: Math.round((performance.now() - started) / 1000), loadAverage1m: Number(os.loadavg()[0].toFixed(2)) };
}
