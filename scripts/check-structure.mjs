// House rules that a reviewer should not have to remember (docs/decisions/015-structure.md):
//   1. dependencies point down: nothing in worker/domain imports worker/queues (or routes, middleware, the entry);
//      worker/contract is runtime-neutral (no cloudflare:*, hono, drizzle, DOM-only code);
//      the folders of worker/domain form no cycle (a → b → a);
//   2. no function in worker/ over MAX_LINES lines.
// Exits 1 when a rule is broken; `--list` only lists the long functions (exit 0 unless a dependency is wrong),
// `--max N` sets the limit (e.g. `--max 40` to plan the next split).
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
const maxAt = args.indexOf("--max");
const MAX_LINES = maxAt >= 0 ? Number(args[maxAt + 1]) : 60;

function files(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return files(path);
    return /\.tsx?$/.test(name) && !name.endsWith(".d.ts") ? [path] : [];
  });
}

/** [file (relative), import specifier] for every static or dynamic import and re-export. */
function importsOf(source) {
  const found = [];
  const visit = (node) => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) found.push(node.moduleSpecifier.text);
    if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword && ts.isStringLiteral(node.arguments[0])) found.push(node.arguments[0].text);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** Named functions (and arrow functions bound to a name) with their line span. */
function functionsOf(source) {
  const found = [];
  const line = (pos) => source.getLineAndCharacterOfPosition(pos).line + 1;
  const nameOf = (node) => {
    if (node.name && ts.isIdentifier(node.name)) return node.name.text;
    if (node.name) return node.name.getText(source);
    const p = node.parent;
    if (p && ts.isVariableDeclaration(p) && ts.isIdentifier(p.name)) return p.name.text;
    if (p && ts.isPropertyAssignment(p)) return p.name.getText(source);
    return "(anonymous)";
  };
  const visit = (node) => {
    if (ts.isFunctionDeclaration(node) || ts.isMethodDeclaration(node) || ts.isArrowFunction(node) || ts.isFunctionExpression(node) || ts.isConstructorDeclaration(node)) {
      const start = line(node.getStart(source));
      const lines = line(node.end) - start + 1;
      found.push({ name: ts.isConstructorDeclaration(node) ? "constructor" : nameOf(node), start, lines });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

const problems = [];
const long = [];
/** worker/domain folder → the domain folders it imports. */
const folderEdges = new Map();
const domainFolder = (rel) => /^worker\/domain\/([^/]+)\//.exec(rel)?.[1];
for (const path of files(join(root, "worker"))) {
  const rel = relative(root, path);
  const source = ts.createSourceFile(path, readFileSync(path, "utf8"), ts.ScriptTarget.Latest, true);
  for (const spec of importsOf(source)) {
    const target = spec.startsWith(".") ? relative(root, resolve(dirname(path), spec)) : spec;
    if (rel.startsWith("worker/domain/") && /^worker\/(queues|routes|middleware|durable)\/|^worker\/(index|app)$/.test(target)) {
      problems.push(`${rel}: imports ${spec} (worker/domain must not depend on the layers above it)`);
    }
    const from = domainFolder(rel);
    const to = domainFolder(`${target}/`.replace(/\.tsx?\/$/, "/"));
    if (from && to && from !== to) folderEdges.set(from, new Set([...(folderEdges.get(from) ?? []), to]));
    if (rel.startsWith("worker/contract/") && (/^(cloudflare:|hono|drizzle-orm|@hono\/)/.test(target) || /^worker\/(?!contract\/)/.test(target))) {
      problems.push(`${rel}: imports ${spec} (worker/contract is runtime-neutral: zod and other contract files only)`);
    }
  }
  for (const f of functionsOf(source)) if (f.lines > MAX_LINES) long.push(`${rel}:${f.start} ${f.name} (${f.lines} lines)`);
}

/** Folder cycles, each reported once as a → b → … → a. */
const seen = new Set();
for (const start of folderEdges.keys()) {
  const walk = (node, path) => {
    for (const next of folderEdges.get(node) ?? []) {
      if (next === start) {
        const key = [...path].sort().join(",");
        if (!seen.has(key)) problems.push(`worker/domain folder cycle: ${[...path, start].join(" → ")}`);
        seen.add(key);
      } else if (!path.includes(next) && next > start) walk(next, [...path, next]);
    }
  };
  walk(start, [start]);
}

if (long.length) {
  console.log(`${long.length} function(s) over ${MAX_LINES} lines in worker/:`);
  for (const l of long) console.log(`  ${l}`);
}
for (const p of problems) console.error(p);
console.log(problems.length ? `${problems.length} dependency problem(s)` : "dependencies point down");
process.exit(problems.length || (long.length && !args.includes("--list")) ? 1 : 0);
