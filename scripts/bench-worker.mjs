#!/usr/bin/env node
/**
 * The Worker the benchmarks talk to (scripts/bench.mjs): what `wrangler dev` runs, started through wrangler's
 * `unstable_startWorker` with the DevTools inspector OFF.
 *
 * Why not the `wrangler dev` CLI: it always attaches an inspector proxy that sends `Network.enable` to the
 * runtime and relays every inspector message to the wrangler process as an HTTP POST. Every D1 call is a
 * subrequest, so it produces four Network events, each relayed and JSON-encoded twice: measured with the CPU time
 * of the wrangler and workerd processes, a `SELECT 1` cost 3.75× an empty `/api/health` under the CLI and 1.32×
 * without the inspector (docs/decisions/014a-one-round-trip-reads.md). That is a cost of the local debugger,
 * not of the Worker or of D1, and it would swamp what the HTTP benchmark compares.
 *
 * Usage: node scripts/bench-worker.mjs  (env: BENCH_PORT, BENCH_STATE, BENCH_PEPPER, BENCH_SECRETS_KEY)
 * Prints "ready <url>" once it answers; stops on SIGTERM.
 */
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { unstable_startWorker } from "wrangler";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const port = Number(process.env.BENCH_PORT ?? 8797);
const plain = (value) => ({ type: "plain_text", value });
process.chdir(ROOT);
const worker = await unstable_startWorker({
  config: join(ROOT, "wrangler.toml"),
  bindings: {
    PASSWORD_PEPPER: plain(process.env.BENCH_PEPPER),
    SECRETS_KEY: plain(process.env.BENCH_SECRETS_KEY),
    APP_ENV: plain("test"),
    PUBLIC_ORIGIN: plain(`http://localhost:${port}`),
  },
  dev: { server: { hostname: "127.0.0.1", port }, inspector: false, persist: process.env.BENCH_STATE, logLevel: "error", watch: false },
  sendMetrics: false,
});
await worker.ready;
console.log(`ready ${(await worker.url).href}`);
const stop = async () => {
  await worker.dispose().catch(() => {});
  process.exit(0);
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
