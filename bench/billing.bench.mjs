/**
 * Billing-run throughput (invoices/s) in local workerd over N subscriptions (targets in README.md, Performance):
 * runs bench/billing-run.bench.ts through bench/vitest.bench.config.ts, one fresh database per size.
 * Sizes from BENCH_SUBSCRIPTIONS (comma-separated), default 10000 and 100000; BENCH_PAGE_SIZE overrides the page.
 *
 * Memory: workerd gives a Worker no heap figures, so the peak resident memory of the workerd process that runs
 * the pages is sampled from outside (/proc, every 100 ms), against its size once the database is seeded. That
 * process also holds the local D1 (SQLite cache), so the growth is an upper bound of one invocation's memory.
 *
 * CPU: on a shared machine the wall-clock rate depends on the share of CPU the run gets, so the CPU time the
 * workerd process spent between "seeded" and "result" is recorded too: invoices per CPU-second is what an idle
 * core would do (workerd runs the Worker and the local D1 in that one process).
 */
import { spawn } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import os from "node:os";

export const name = "billing";
export const needsWorker = false;

const TICKS_PER_SECOND = 100; // getconf CLK_TCK on Linux

/** Resident set (KiB) and CPU time (ticks) of every workerd process below `pid`. */
function workerdStats(pid) {
  const children = new Map();
  for (const p of readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
    try {
      const stat = readFileSync(`/proc/${p}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      children.set(Number(p), { ppid, comm: stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")")) });
    } catch { /* exited */ }
  }
  const below = (p) => { for (let q = children.get(p)?.ppid; q; q = children.get(q)?.ppid) if (q === pid) return true; return false; };
  let kib = 0;
  let ticks = 0;
  for (const [p, info] of children) {
    if (info.comm !== "workerd" || !below(p)) continue;
    try {
      kib += Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${p}/status`, "utf8"))?.[1] ?? 0);
      const stat = readFileSync(`/proc/${p}/stat`, "utf8");
      const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      ticks += Number(f[11]) + Number(f[12]);
    } catch { /* exited */ }
  }
  return { kib, ticks };
}

function runSize(root, n) {
  return new Promise((resolve, reject) => {
    const child = spawn(join(root, "node_modules/.bin/vitest"), ["run", "--config", "bench/vitest.bench.config.ts"], {
      cwd: root, env: { ...process.env, BENCH_SUBSCRIPTIONS: String(n), WRANGLER_SEND_METRICS: "false" },
    });
    let out = "";
    let seeded = null;
    let done = null;
    let peakRss = 0;
    child.stdout.on("data", (d) => {
      out += d;
      if (!seeded && out.includes("BENCH_SEEDED")) seeded = workerdStats(child.pid);
      if (!done && out.includes("BENCH_RESULT ")) done = workerdStats(child.pid);
    });
    child.stderr.on("data", (d) => (out += d));
    const timer = setInterval(() => { if (seeded && !done) peakRss = Math.max(peakRss, workerdStats(child.pid).kib); }, 100);
    child.on("close", (code) => {
      clearInterval(timer);
      const line = out.split("\n").find((l) => l.includes("BENCH_RESULT "));
      if (code !== 0 || !line || !seeded || !done) return reject(new Error(`billing benchmark failed:\n${out.slice(-6000)}`));
      const result = JSON.parse(line.slice(line.indexOf("BENCH_RESULT ") + 13));
      const cpuSeconds = (done.ticks - seeded.ticks) / TICKS_PER_SECOND;
      resolve({
        ...result,
        cpuSeconds,
        invoicesPerCpuSecond: Math.round(result.invoices / cpuSeconds),
        workerdRssMiB: { afterSeed: Math.round(seeded.kib / 1024), peak: Math.round(peakRss / 1024), growth: Math.round((peakRss - seeded.kib) / 1024) },
      });
    });
  });
}

export async function run({ root }) {
  const sizes = (process.env.BENCH_SUBSCRIPTIONS ?? "10000,100000").split(",").map(Number).filter((n) => Number.isInteger(n) && n > 0);
  const results = {};
  for (const n of sizes) {
    const load = os.loadavg()[0];
    results[`subscriptions_${n}`] = { ...(await runSize(root, n)), loadAverage1m: { before: Number(load.toFixed(2)), after: Number(os.loadavg()[0].toFixed(2)) } };
  }
  results.target = { invoicesPerSecond: 5000 };
  results.pass = Object.values(results).every((r) => typeof r !== "object" || !("invoicesPerSecond" in r) || r.invoicesPerSecond >= 5000);
  return results;
}
