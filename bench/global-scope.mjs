/**
 * `node bench/global-scope.mjs <bundle.js>`: evaluates the Worker bundle's global scope in this (fresh) Node
 * process and prints the CPU time it took, in ms — V8 compiling and running the module body, as workerd does at
 * start-up. Workers-only imports are stubbed; nothing runs that the global scope does not run itself.
 * A proxy for start-up (docs/decisions/014c-startup-and-bench-baseline.md): CPU time, unlike a profiler's wall-clock samples, barely moves with
 * the machine's load, so it can gate regressions (bench/startup.bench.mjs).
 */
import { readFileSync, writeFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const stubs = {
  "cloudflare:sockets": "export const connect = () => { throw new Error('no sockets here'); };",
  "cloudflare:workers": "export class DurableObject {} export class WorkerEntrypoint {} export const env = {};",
};
let source = readFileSync(process.argv[2], "utf8");
for (const [name, code] of Object.entries(stubs)) source = source.replaceAll(new RegExp(`from\\s*"${name}"`, "g"), `from "data:text/javascript,${encodeURIComponent(code)}"`);
const file = join(mkdtempSync(join(tmpdir(), "cumulus-global-scope-")), "worker.mjs");
writeFileSync(file, source);
const cpuMs = (since) => {
  const d = process.cpuUsage(since);
  return (d.user + d.system) / 1000;
};
const before = process.cpuUsage();
await import(pathToFileURL(file).href);
const globalScope = cpuMs(before);

// A fixed workload of the same kind, timed in the same process right after: compiling and running generated
// source and building objects. Contention for the machine slows both alike, so their ratio follows the code.
const reference = process.cpuUsage();
for (let round = 0; round < 40; round++) {
  const body = Array.from({ length: 400 }, (_, i) => `const v${i} = { id: "x${round}_${i}", n: ${i} * a, s: [${i}, "${i}"].join("-") };`).join("\n");
  new Function("a", `${body}\nreturn v0;`)(round);
  JSON.parse(JSON.stringify(Array.from({ length: 2000 }, (_, i) => ({ i, s: String(i).padStart(8, "0") }))));
}
console.log(JSON.stringify({ globalScope, reference: cpuMs(reference) }));
