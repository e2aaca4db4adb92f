/**
 * Email throughput, queue batch → consumer → worker-mailer → SMTP sink on loopback (target in README.md, Performance).
 * Runs the measured test in test/worker/queues/email-pipeline.test.ts inside workerd, once per size in EMAIL_BENCH_N
 * (comma-separated, default 2000 and 20000), with the consumer's max_concurrency (wrangler.toml) batches in flight
 * as Cloudflare Queues runs them, and counts duplicates (by Message-ID) and Bcc headers on the wire.
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import os from "node:os";

export const name = "email";
export const needsWorker = false;

/** The email consumer's max_concurrency in wrangler.toml: the benchmark keeps that many batches in flight. */
function maxConcurrency(root) {
  const toml = readFileSync(join(root, "wrangler.toml"), "utf8");
  const block = toml.split("[[queues.consumers]]").slice(1).find((b) => /^queue = "cumulus-email"$/m.test(b));
  const value = block && /^max_concurrency = (\d+)$/m.exec(block)?.[1];
  if (!value) throw new Error("wrangler.toml: the cumulus-email consumer declares no max_concurrency");
  return value;
}

export async function run({ root }) {
  const n = process.env.EMAIL_BENCH_N ?? "2000,20000";
  const concurrency = maxConcurrency(root);
  const result = spawnSync(
    process.execPath,
    [join(root, "node_modules/vitest/vitest.mjs"), "run", "--config", "vitest.config.ts", "test/worker/queues/email-pipeline.test.ts", "-t", "throughput"],
    { cwd: root, env: { ...process.env, EMAIL_BENCH_N: n, EMAIL_BENCH_CONCURRENCY: concurrency, NODE_EXTRA_CA_CERTS: join(root, "test/fakes/tls/ca.pem") }, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 },
  );
  const line = `${result.stdout}\n${result.stderr}`.split("\n").find((l) => l.includes("BENCH_EMAIL "));
  if (result.status !== 0 || !line) throw new Error(`email benchmark failed:\n${result.stdout}${result.stderr}`);
  const measured = JSON.parse(line.slice(line.indexOf("BENCH_EMAIL ") + 12));
  const sum = (k) => measured.runs.reduce((a, r) => a + r[k], 0);
  return { ...measured, duplicates: sum("duplicates"), bccHeaders: sum("bccHeaders"), loadAverage1m: Number(os.loadavg()[0].toFixed(2)) };
}
