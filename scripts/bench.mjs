#!/usr/bin/env node
/**
 * `npm run bench`: email throughput, queue batch → consumer → worker-mailer → SMTP sink on loopback
 * (performance.md target 8). Runs the measured test in test/worker/email-pipeline.test.ts inside workerd with
 * EMAIL_BENCH_N messages (default 2000) and writes bench/email-throughput.json.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import os from "node:os";

const ROOT = resolve(import.meta.dirname, "..");
const n = process.env.EMAIL_BENCH_N ?? "2000";
const run = spawnSync(
  process.execPath,
  [join(ROOT, "node_modules/vitest/vitest.mjs"), "run", "--config", "vitest.config.ts", "test/worker/email-pipeline.test.ts", "-t", "throughput"],
  { cwd: ROOT, env: { ...process.env, EMAIL_BENCH_N: n, NODE_EXTRA_CA_CERTS: join(ROOT, "test/fakes/tls/ca.pem") }, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 },
);
const line = `${run.stdout}\n${run.stderr}`.split("\n").find((l) => l.includes("BENCH_EMAIL "));
if (run.status !== 0 || !line) {
  process.stderr.write(run.stdout + run.stderr);
  console.error("bench failed");
  process.exit(1);
}
const result = { ...JSON.parse(line.slice(line.indexOf("BENCH_EMAIL ") + 12)), measuredAt: new Date().toISOString(), cpus: os.cpus().length, loadAverage1m: Number(os.loadavg()[0].toFixed(2)), node: process.version };
mkdirSync(join(ROOT, "bench"), { recursive: true });
writeFileSync(join(ROOT, "bench/email-throughput.json"), `${JSON.stringify(result, null, 2)}\n`);
console.log(`${result.messages} messages in ${result.elapsedMs} ms: ${result.messagesPerSecond} msg/s → bench/email-throughput.json`);
