/**
 * Worker bundle and portal asset sizes (targets in README.md, Performance), and what the Worker bundle is made
 * of (esbuild's metafile): the biggest inputs by package, and how much of the bundle the global scope evaluates
 * (reached from worker/index.ts by static imports) against what a dynamic import() defers to first use
 * (docs/decisions/014c-startup-and-bench-baseline.md).
 */
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync, statSync, rmSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";

export const name = "bundle";
export const needsWorker = false;

const kib = (bytes) => Math.round((bytes / 1024) * 10) / 10;
const TOP_INPUTS = 15;

/** "zod", "@cantoo/pdf-lib", "worker/domain", … — zod's 60 languages apart, since they are a size question of their own. */
function groupOf(input) {
  const pkg = input.match(/node_modules\/(@[^/]+\/[^/]+|[^/]+)\//)?.[1];
  if (pkg) return pkg === "zod" && input.includes("/locales/") ? "zod (locales)" : pkg;
  return input.split("/").slice(0, 2).join("/");
}

/** Inputs reached from the entry by static imports: the modules evaluated with the global scope. */
function startupPath(inputs, entry) {
  const seen = new Set([entry]);
  const queue = [entry];
  while (queue.length) {
    for (const imp of inputs[queue.shift()]?.imports ?? []) {
      if (imp.kind === "dynamic-import" || seen.has(imp.path)) continue;
      seen.add(imp.path);
      queue.push(imp.path);
    }
  }
  return seen;
}

/**
 * wrangler's [alias] matches the exact import string, so "../locales/index.js" would also replace another
 * package's file of that name: every importer of a stub must be the package it was written for.
 */
const STUB_OWNERS = { "zod-locales.ts": "node_modules/zod/", "brotli-decompress.ts": "node_modules/fontkit/", "culori.ts": "node_modules/@cantoo/pdf-lib/", "html-entities.ts": "node_modules/@cantoo/pdf-lib/", "node-html-better-parser.ts": "node_modules/@cantoo/pdf-lib/" };

function checkStubImporters(inputs) {
  for (const [input, { imports }] of Object.entries(inputs)) {
    for (const imp of imports) {
      const stub = imp.path.match(/worker\/bundle-stubs\/(.+)$/)?.[1];
      if (stub && STUB_OWNERS[stub] && !input.includes(STUB_OWNERS[stub])) throw new Error(`${input} imports ${imp.original} and gets the stub ${stub} (wrangler.toml [alias])`);
    }
  }
}

/** The bundle's composition from esbuild's metafile: top inputs by package, evaluated at start-up or on first use. */
function composition(metafile) {
  const meta = JSON.parse(readFileSync(metafile, "utf8"));
  checkStubImporters(meta.inputs);
  const output = Object.values(meta.outputs).find((o) => o.entryPoint);
  const eager = startupPath(meta.inputs, output.entryPoint);
  const groups = new Map();
  let startupBytes = 0;
  for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
    const g = groups.get(groupOf(input)) ?? { kib: 0, startup: 0 };
    g.kib += bytesInOutput;
    if (eager.has(input)) {
      g.startup += bytesInOutput;
      startupBytes += bytesInOutput;
    }
    groups.set(groupOf(input), g);
  }
  const top = [...groups].sort((a, b) => b[1].kib - a[1].kib).slice(0, TOP_INPUTS);
  return {
    worker_startup_path_kib: kib(startupBytes),
    worker_deferred_kib: kib(output.bytes - startupBytes),
    worker_top_inputs: top.map(([input, g]) => ({ input, kib: kib(g.kib), startupKib: kib(g.startup) })),
  };
}

export async function run({ root, env }) {
  const out = join(root, ".ci/out/bench-deploy");
  rmSync(out, { recursive: true, force: true });
  const metafile = join(out, "meta.json");
  execFileSync("npx", ["wrangler", "deploy", "--dry-run", "--outdir", out, "--metafile", metafile], { cwd: root, env, stdio: "ignore" });
  const worker = readdirSync(out).filter((f) => f.endsWith(".js")).map((f) => readFileSync(join(out, f)));
  const workerBytes = worker.reduce((a, b) => a + b.length, 0);
  const assets = join(root, "dist/client/assets");
  const files = readdirSync(assets).map((f) => ({ f, buf: readFileSync(join(assets, f)) }));
  const js = files.filter((x) => x.f.endsWith(".js"));
  const css = files.filter((x) => x.f.endsWith(".css"));
  const index = readFileSync(join(root, "dist/client/index.html"), "utf8");
  // The initial route: scripts and modulepreloads referenced by index.html.
  const initial = [...index.matchAll(/(?:src|href)="\/assets\/([^"]+\.js)"/g)].map((m) => m[1]);
  const gz = (list) => kib(list.reduce((a, x) => a + gzipSync(x.buf).length, 0));
  return {
    worker_kib: kib(workerBytes),
    worker_gzip_kib: kib(worker.reduce((a, b) => a + gzipSync(b).length, 0)),
    client_js_total_gzip_kib: gz(js),
    client_initial_js_gzip_kib: gz(js.filter((x) => initial.includes(x.f))),
    client_largest_lazy_chunk_gzip_kib: Math.max(...js.filter((x) => !initial.includes(x.f)).map((x) => kib(gzipSync(x.buf).length))),
    client_css_gzip_kib: gz(css),
    client_files: files.length,
    dist_bytes: statSync(join(root, "dist/client/index.html")).size,
    ...composition(metafile),
  };
}
