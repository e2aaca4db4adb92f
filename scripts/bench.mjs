#!/usr/bin/env node
/**
 * `npm run bench`: measures speed and size targets (README.md, Performance; bench/targets.mjs) and writes JSON to
 * bench/results.json. Benchmarks measure; tests assert behaviour (timed assertions would be flaky).
 *
 * Each benchmark module in bench/*.bench.mjs exports `name` and `run(ctx)` returning a plain object of
 * measurements. ctx: { root, baseUrl (a fresh seeded Worker as `wrangler dev` runs it, scripts/bench-worker.mjs), measure(fn, { warmup, runs, concurrency }) }.
 * Ratios against a baseline measured in the same run (e.g. D1 read vs /api/health) are reported beside
 * absolute numbers, because absolute numbers drift on a shared machine.
 *
 *   npm run bench                      all benchmarks
 *   npm run bench -- http bundle       only those whose name contains one of the words
 *   npm run bench -- --record-baseline record bench/baseline.json (bundle size, start-up) from this run
 *
 * The summary lists every figure against its target (bench/targets.mjs) with the machine's load, and the run
 * fails (exit 1) when the bundle or the start-up grew more than 10 % over bench/baseline.json.
 */
import { spawn, execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import os from "node:os";
import { baselineFrom, printSummary, summarize } from "../bench/targets.mjs";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const PORT = Number(process.env.BENCH_PORT ?? 8797);
const STATE = ".wrangler/bench-state";
const PEPPER = "bench-only-pepper-not-a-secret-0123456789";
const SECRETS_KEY = "YmVuY2gtb25seS1zZWNyZXRzLWtleS0zMi1ieXRlcyE=";
const recordBaseline = process.argv.includes("--record-baseline");
const filters = process.argv.slice(2).filter((a) => !a.startsWith("--"));
const env = { ...process.env, WRANGLER_SEND_METRICS: "false", NO_COLOR: "1", CI: "true" };
const wranglerBin = join(ROOT, "node_modules/wrangler/bin/wrangler.js");

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

/** Runs `fn` `runs` times with `concurrency` in flight after `warmup` calls; returns latency stats in ms. */
async function measure(fn, { warmup = 50, runs = 500, concurrency = 1 } = {}) {
  for (let i = 0; i < warmup; i++) await fn(i);
  const times = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < runs) {
        const i = next++;
        const t0 = performance.now();
        await fn(i);
        times.push(performance.now() - t0);
      }
    }),
  );
  const elapsed = performance.now() - started;
  times.sort((a, b) => a - b);
  const round = (v) => Math.round(v * 100) / 100;
  return { runs, concurrency, p50_ms: round(percentile(times, 50)), p99_ms: round(percentile(times, 99)), mean_ms: round(times.reduce((a, b) => a + b, 0) / times.length), rps: Math.round((runs / elapsed) * 1000) };
}

async function startWorker() {
  execFileSync("npx", ["vite", "build", "--logLevel", "warn"], { cwd: ROOT, env, stdio: "inherit" });
  rmSync(join(ROOT, STATE), { recursive: true, force: true });
  execFileSync(process.execPath, [wranglerBin, "d1", "migrations", "apply", "DB", "--local", "--persist-to", STATE], { cwd: ROOT, env, stdio: "ignore" });
  execFileSync(process.execPath, [join(ROOT, "scripts/seed.mjs"), "--persist-to", STATE, "--pepper", PEPPER], { cwd: ROOT, env, stdio: "inherit" });
  // `wrangler dev` without its DevTools inspector (scripts/bench-worker.mjs says why).
  const child = spawn(process.execPath, [join(ROOT, "scripts/bench-worker.mjs")],
    { cwd: ROOT, env: { ...env, BENCH_PORT: String(PORT), BENCH_STATE: join(ROOT, STATE), BENCH_PEPPER: PEPPER, BENCH_SECRETS_KEY: SECRETS_KEY }, detached: true, stdio: "ignore" });
  const stop = () => { try { process.kill(-child.pid, "SIGTERM"); } catch { /* already gone */ } };
  process.on("exit", stop);
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      if ((await fetch(`http://127.0.0.1:${PORT}/api/health`)).ok) break;
    } catch { /* not up yet */ }
    if (Date.now() > deadline) throw new Error("wrangler dev did not become healthy");
    await new Promise((r) => setTimeout(r, 250));
  }
  return { baseUrl: `http://localhost:${PORT}`, stop };
}

const modules = readdirSync(join(ROOT, "bench")).filter((f) => f.endsWith(".bench.mjs")).sort();
const selected = [];
for (const file of modules) {
  const mod = await import(pathToFileURL(join(ROOT, "bench", file)).href);
  if (!filters.length || filters.some((f) => mod.name.includes(f))) selected.push(mod);
}
const worker = selected.some((m) => m.needsWorker) ? await startWorker() : null;
// Results of benchmarks not run this time are kept from the previous file; each entry records when it ran.
const resultsFile = join(ROOT, "bench/results.json");
const previous = existsSync(resultsFile) ? JSON.parse(readFileSync(resultsFile, "utf8")) : { benchmarks: {} };
const loadBefore = os.loadavg();
const results = { machine: { cpus: os.cpus().length, cpu: os.cpus()[0]?.model, node: process.version }, benchmarks: previous.benchmarks ?? {} };
const failures = [];
for (const mod of selected) {
  process.stdout.write(`• ${mod.name} … `);
  const t0 = performance.now();
  try {
    results.benchmarks[mod.name] = { at: new Date().toISOString(), ...(await mod.run({ root: ROOT, baseUrl: worker?.baseUrl, measure, env })) };
    console.log(`${Math.round(performance.now() - t0)} ms`);
  } catch (err) {
    // One failing benchmark is reported and recorded; the others still run.
    failures.push(mod.name);
    results.benchmarks[mod.name] = { at: new Date().toISOString(), error: String(err?.message ?? err).slice(0, 2000) };
    console.log(`FAILED: ${String(err?.message ?? err).split("\n")[0]}`);
  }
}
worker?.stop();
results.machine.loadAverage = { atStart: loadBefore.map((l) => Number(l.toFixed(2))), atEnd: os.loadavg().map((l) => Number(l.toFixed(2))) };
mkdirSync(join(ROOT, "bench"), { recursive: true });
writeFileSync(resultsFile, `${JSON.stringify(results, null, 2)}\n`);
console.log(JSON.stringify(Object.fromEntries(selected.map((m) => [m.name, results.benchmarks[m.name]])), null, 2));
console.log("\nwritten to bench/results.json");
const baselineFile = join(ROOT, "bench/baseline.json");
if (recordBaseline) {
  writeFileSync(baselineFile, `${JSON.stringify(baselineFrom(results.benchmarks), null, 2)}\n`);
  console.log("baseline recorded in bench/baseline.json");
}
const summary = summarize(results.benchmarks, existsSync(baselineFile) ? JSON.parse(readFileSync(baselineFile, "utf8")) : null);
printSummary(summary, Object.assign(os.loadavg(), { cpus: os.cpus().length }));
if (failures.length) console.error(`benchmarks failed: ${failures.join(", ")}`);
if (failures.length || summary.regressions.length) process.exitCode = 1;
