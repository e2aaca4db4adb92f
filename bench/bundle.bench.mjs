/** Worker bundle and portal asset sizes (targets in README.md, Performance). */
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync, statSync, rmSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";

export const name = "bundle";
export const needsWorker = false;

const kib = (bytes) => Math.round((bytes / 1024) * 10) / 10;

export async function run({ root, env }) {
  const out = join(root, ".ci/out/bench-deploy");
  rmSync(out, { recursive: true, force: true });
  execFileSync("npx", ["wrangler", "deploy", "--dry-run", "--outdir", out], { cwd: root, env, stdio: "ignore" });
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
  };
}
