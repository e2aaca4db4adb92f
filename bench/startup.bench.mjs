/**
 * Worker start-up (performance.md target #11), measured in workerd on this machine:
 * - global-scope evaluation: `wrangler check startup` profiles the start-up phase of the deployable bundle;
 *   the CPU time is the profile minus its idle samples, the least of RUNS profiles (load only ever adds time;
 *   the minimum stayed within ±2 % between runs at load averages from 7 to 12 on the 2-core dev box). A
 *   one-route Hono worker was tried as an in-run reference: its start-up is below the profiler's resolution.
 * - first response of a fresh isolate: a fresh `wrangler dev`, the time of its first /api/health answer once it
 *   reports ready, against the median of the next 20.
 */
import { execFileSync, spawn } from "node:child_process";
import { mkdirSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";

export const name = "startup";
export const needsWorker = false;

/** Profiles per bundle, interleaved; the least CPU of each is kept (noise only ever adds time). */
const RUNS = 5;

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

/** The deployable bundle (`wrangler deploy --dry-run --outfile`), the input `wrangler check startup` takes. */
function bundle(root, env) {
  const dir = join(root, ".ci/out/bench-startup");
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  execFileSync(process.execPath, [join(root, "node_modules/wrangler/bin/wrangler.js"), "deploy", "--dry-run", "--outfile", join(dir, "worker.bundle")], { cwd: root, env, stdio: "ignore" });
  return join(dir, "worker.bundle");
}

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

export async function run({ root, env }) {
  const worker = bundle(root, env);
  const profiles = [];
  for (let i = 0; i < RUNS; i++) profiles.push(profileCpuMs(root, env, worker));
  return {
    startupCpuMs: Math.round(Math.min(...profiles) * 10) / 10,
    profilesCpuMs: profiles.map((p) => Math.round(p * 10) / 10),
    ...(await firstResponse(root, env)),
    note: "workerd on this machine via `wrangler check startup` (CPU profile of the start-up phase, idle excluded, least of the profiles); production startup_time_ms differs",
  };
}
