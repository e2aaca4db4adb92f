/**
 * Invoice PDF render cost and size in local workerd (docs/decisions/013-invoice-documents.md): runs
 * bench/invoice-pdf.workerd.ts through bench/vitest.pdf.config.ts and writes the 1-page sample to
 * docs/invoice-sample.pdf (shown in the README).
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export const name = "invoice_pdf";
export const needsWorker = false;

export async function run({ root }) {
  if (!existsSync(join(root, "dist/client/fonts/manifest.json"))) execFileSync("npx", ["vite", "build", "--logLevel", "warn"], { cwd: root, stdio: "inherit" });
  const res = spawnSync(join(root, "node_modules/.bin/vitest"), ["run", "--config", "bench/vitest.pdf.config.ts"], {
    cwd: root, encoding: "utf8", env: { ...process.env, WRANGLER_SEND_METRICS: "false" }, maxBuffer: 64 * 1024 * 1024,
  });
  const out = `${res.stdout}\n${res.stderr}`.split("\n");
  const line = out.find((l) => l.includes("BENCH_RESULT "));
  const sample = out.find((l) => l.includes("BENCH_SAMPLE "));
  if (res.status !== 0 || !line) throw new Error(`invoice PDF benchmark failed:\n${res.stdout.slice(-4000)}${res.stderr.slice(-4000)}`);
  if (sample) writeFileSync(join(root, "docs/invoice-sample.pdf"), Buffer.from(sample.slice(sample.indexOf("BENCH_SAMPLE ") + 13).trim(), "base64"));
  return JSON.parse(line.slice(line.indexOf("BENCH_RESULT ") + 13));
}
