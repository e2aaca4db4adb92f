/**
 * Worker start-up (gate: docs/decisions/014c-startup-and-bench-baseline.md):
 * - global-scope evaluation: bench/global-scope.mjs evaluates the deployable bundle in a fresh single-threaded
 *   Node process (V8, like workerd) and reports its CPU time and that of a fixed reference workload run right
 *   after. The baseline check uses the least ratio of RUNS runs (±6 % between runs; the CPU time alone rose 60 %
 *   from load average 3 to 8 on the 2-core dev box, the ratio does not follow the load).
 * - the same phase in workerd: `wrangler check startup` profiles it; the profile is minus its idle samples, but
 *   its samples are wall-clock, so under load it swings ±30 %: recorded for information, the least of 3.
 * - first response of a fresh isolate: a fresh `wrangler dev`, the time of its first /api/health answer once it
 *   reports ready, against the median of the next 20.
 */
import { execFileSync, spawn } from "node:child_process";
import { mkdirSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { loadavg } from "node:os";
import { join } from "node:path";

export const name = "startup";
export const needsWorker = false;

const RUNS = 7;
const PROFILES = 3;

function profileCpuMs(root, env, bundle) {
  const out = join(root, ".ci/out/bench-startup.cpuprofile");
  execFileSync(process.execPath, [join(root, "node_modules/wrangler/bin/wrangler.js"), "check", "startup", "--worker", bundle, "--outfile", out], { cwd: root, env, stdio: "ignore" });
  const p = JSON.parse(readFileSync(out, "utf8"));
  const idle = new Set(p.nodes.filter((n) => n.callFrame.functionName === "(idle)").map((n) => n.id));
  let busy = 0;
  p.samples.forEach((id, i) => { if (!idle.has(id)) busy += p.timeDeltas[i] ?? 0; });
  return busy / 1000;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** The deployable bundle twice: as JavaScript (for Node) and as `wrangler check startup` takes it. */
function bundles(root, env) {
  const dir = join(root, ".ci/out/bench-startup");
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const wrangler = join(root, "node_modules/wrangler/bin/wrangler.js");
  execFileSync(process.execPath, [wrangler, "deploy", "--dry-run", "--outdir", join(dir, "js")], { cwd: root, env, stdio: "ignore" });
  execFileSync(process.execPath, [wrangler, "deploy", "--dry-run", "--outfile", join(dir, "worker.bundle")], { cwd: root, env, stdio: "ignore" });
  return { js: join(dir, "js/index.js"), upload: join(dir, "worker.bundle") };
}

/** One fresh, single-threaded V8 (no background compile or GC threads to add noise): `{ globalScope, reference }`. */
const globalScope = (root, js) => JSON.parse(execFileSync(process.execPath, ["--single-threaded", join(root, "bench/global-scope.mjs"), js], { encoding: "utf8" }).trim());

/** A port nothing listens on now (the OS picks it), so this fresh worker never meets another's. */
const freePort = () => new Promise((resolve) => {
  const server = createServer().listen(0, "127.0.0.1", () => {
    const { port } = server.address();
    server.close(() => resolve(port));
  });
});

/** A fresh `wrangler dev`: once it reports ready, the first /api/health answer against the median of the next 20. */
async function firstResponse(root, env) {
  const port = await freePort();
  const child = spawn(process.execPath, [join(root, "node_modules/wrangler/bin/wrangler.js"), "dev", "--ip", "127.0.0.1", "--port", String(port), "--log-level", "info",
    "--persist-to", ".wrangler/bench-startup-state", "--var", "PASSWORD_PEPPER:bench-only-pepper-not-a-secret-0123456789", "--var", "SECRETS_KEY:YmVuY2gtb25seS1zZWNyZXRzLWtleS0zMi1ieXRlcyE=", "--var", "APP_ENV:test"],
    { cwd: root, env, detached: true, stdio: ["ignore", "pipe", "ignore"] });
  try {
    let out = "";
    await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("wrangler dev did not report ready")), 90_000);
      child.stdout.on("data", (d) => {
        out += d;
        if (/Ready on/.test(out)) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    const url = `http://127.0.0.1:${port}/api/health`;
    const t0 = performance.now();
    await (await fetch(url)).arrayBuffer();
    const first = performance.now() - t0;
    const warm = [];
    for (let i = 0; i < 20; i++) {
      const t = performance.now();
      await (await fetch(url)).arrayBuffer();
      warm.push(performance.now() - t);
    }
    return { firstResponseMs: Math.round(first * 10) / 10, warmP50Ms: Math.round(median(warm) * 10) / 10 };
  } finally {
    try { process.kill(-child.pid, "SIGTERM"); } catch { /* gone */ }
  }
}

const least = (xs) => Math.round(Math.min(...xs) * 10) / 10;

const load = () => loadavg().map((l) => Math.round(l * 100) / 100);

export async function run({ root, env }) {
  const loadAtStart = load();
  const { js, upload } = bundles(root, env);
  const node = Array.from({ length: RUNS }, () => globalScope(root, js));
  const workerd = Array.from({ length: PROFILES }, () => profileCpuMs(root, env, upload));
  return {
    globalScopeCpuMs: least(node.map((r) => r.globalScope)),
    globalScopeToReference: Math.round(Math.min(...node.map((r) => r.globalScope / r.reference)) * 1000) / 1000,
    globalScopeRunsCpuMs: node.map((r) => Math.round(r.globalScope * 10) / 10),
    workerdStartupProfileMs: least(workerd),
    ...(await firstResponse(root, env)),
    // This benchmark's own load (results.json's machine.loadAverage is that of the last `npm run bench`, whatever it ran).
    loadAverage: { atStart: loadAtStart, atEnd: load() },
    note: "globalScopeCpuMs: Node (V8) evaluating the deployable bundle, CPU time, least of the runs; workerdStartupProfileMs: `wrangler check startup` profile minus idle (wall-clock samples); production startup_time_ms differs",
  };
}
