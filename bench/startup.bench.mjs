/**
 * Worker start-up (performance.md target #11), measured in workerd on this machine:
 * - global-scope evaluation: `wrangler check startup` profiles the start-up phase of the deployable bundle;
 *   the CPU time is the profile minus its idle samples. The same is measured for a one-route Hono worker in the
 *   same run, and the ratio between the two is what the baseline check compares (absolute times drift with
 *   the machine's load; the ratio does not).
 * - first response of a fresh isolate: a fresh `wrangler dev`, the time of its first /api/health answer after
 *   the port opens, against the median of the next 20.
 */
import { execFileSync, spawn } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync, readdirSync } from "node:fs";
import { createConnection } from "node:net";
import { join } from "node:path";

export const name = "startup";
export const needsWorker = false;

const RUNS = 3;

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

function bundles(root, env) {
  const dir = join(root, ".ci/out/bench-startup");
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  execFileSync("npx", ["wrangler", "deploy", "--dry-run", "--outdir", join(dir, "worker")], { cwd: root, env, stdio: "ignore" });
  const worker = join(dir, "worker", readdirSync(join(dir, "worker")).find((f) => f.endsWith(".js")));
  // The reference: Hono with one route, bundled and minified the same way.
  writeFileSync(join(dir, "ref.mjs"), `import { Hono } from "hono";\nconst app = new Hono();\napp.get("/", (c) => c.text("ok"));\nexport default app;\n`);
  execFileSync(join(root, "node_modules/.bin/esbuild"), [join(dir, "ref.mjs"), "--bundle", "--minify", "--format=esm", `--outfile=${join(dir, "ref.js")}`], { cwd: root, stdio: "ignore" });
  return { worker, reference: join(dir, "ref.js") };
}

const portOpen = (port) => new Promise((resolve) => {
  const s = createConnection({ port, host: "127.0.0.1" }, () => { s.destroy(); resolve(true); });
  s.on("error", () => resolve(false));
});

async function firstResponse(root, env) {
  const port = Number(process.env.BENCH_PORT ?? 8797) + 1;
  const child = spawn(process.execPath, [join(root, "node_modules/wrangler/bin/wrangler.js"), "dev", "--ip", "127.0.0.1", "--port", String(port), "--log-level", "error",
    "--persist-to", ".wrangler/bench-startup-state", "--var", "PASSWORD_PEPPER:bench-only-pepper-not-a-secret-0123456789", "--var", "SECRETS_KEY:YmVuY2gtb25seS1zZWNyZXRzLWtleS0zMi1ieXRlcyE=", "--var", "APP_ENV:test"],
    { cwd: root, env, detached: true, stdio: "ignore" });
  try {
    const deadline = Date.now() + 60_000;
    while (!(await portOpen(port))) {
      if (Date.now() > deadline) throw new Error("wrangler dev did not open its port");
      await new Promise((r) => setTimeout(r, 50));
    }
    const url = `http://127.0.0.1:${port}/api/health`;
    const t0 = performance.now();
    let res = await fetch(url).catch(() => null);
    while (!res?.ok && Date.now() < deadline) res = await fetch(url).catch(() => null);
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
  const { worker, reference } = bundles(root, env);
  const ours = [];
  const ref = [];
  for (let i = 0; i < RUNS; i++) {
    ours.push(profileCpuMs(root, env, worker));
    ref.push(profileCpuMs(root, env, reference));
  }
  const startupCpuMs = Math.round(median(ours) * 10) / 10;
  const honoOnlyCpuMs = Math.round(median(ref) * 10) / 10;
  return {
    startupCpuMs,
    honoOnlyCpuMs,
    startupCpuRatioToHonoOnly: Math.round((startupCpuMs / honoOnlyCpuMs) * 100) / 100,
    runs: RUNS,
    ...(await firstResponse(root, env)),
    note: "workerd on this machine via `wrangler check startup` (CPU profile of the start-up phase, idle excluded); production startup_time_ms differs",
  };
}
