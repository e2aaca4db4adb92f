/**
 * Email throughput, queue batch → consumer → worker-mailer → SMTP sink on loopback (performance.md target #8).
 * Runs the measured test in test/worker/email-pipeline.test.ts inside workerd with EMAIL_BENCH_N messages.
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import os from "node:os";

export const name = "email";
export const needsWorker = false;

export async function run({ root }) {
  const n = process.env.EMAIL_BENCH_N ?? "2000";
  const result = spawnSync(
    process.execPath,
    [join(root, "node_modules/vitest/vitest.mjs"), "run", "--config", "vitest.config.ts", "test/worker/email-pipeline.test.ts", "-t", "throughput"],
    { cwd: root, env: { ...process.env, EMAIL_BENCH_N: n, NODE_EXTRA_CA_CERTS: join(root, "test/fakes/tls/ca.pem") }, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 },
  );
  const line = `${result.stdout}\n${result.stderr}`.split("\n").find((l) => l.includes("BENCH_EMAIL "));
  if (result.status !== 0 || !line) throw new Error(`email benchmark failed:\n${result.stdout}${result.stderr}`);
  return { ...JSON.parse(line.slice(line.indexOf("BENCH_EMAIL ") + 12)), loadAverage1m: Number(os.loadavg()[0].toFixed(2)) };
}
