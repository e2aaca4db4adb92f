#!/usr/bin/env node
/**
 * Prints the test summary for `npm test` / CI. The very last line is always
 *
 *   N passed, N failed
 *
 * because our CI log reader does not understand vitest's own summary (.ci/run prints it as the last line).
 *
 * Usage (scripts/test.sh builds the arguments):
 *   node scripts/summary.mjs [--failed-step NAME]... [--suite NAME=JSON_FILE:EXIT_CODE]...
 *
 * Counting rules, so that nothing can fail silently:
 *   - every --failed-step (typecheck, build, ... before the tests) counts as 1 failure;
 *   - a suite's passes and failures come from its vitest JSON report (numPassedTests/numFailedTests);
 *   - a missing or unreadable report counts as 1 failure;
 *   - a report with 0 tests counts as 1 failure (a suite that found nothing to run proves nothing);
 *   - a non-zero exit with no failed test (crash in setup/teardown, unhandled error) counts as 1 failure.
 * Exit code: 1 if anything failed, else 0.
 */
import { readFileSync } from "node:fs";

let passed = 0;
let failed = 0;
const lines = [];

const args = process.argv.slice(2);
for (let i = 0; i < args.length; i++) {
  const flag = args[i];
  const value = args[i + 1] ?? "";
  i++;
  if (flag === "--failed-step") {
    failed++;
    lines.push(`  step ${value}: FAILED`);
  } else if (flag === "--suite") {
    const m = /^([^=]+)=(.+):(-?\d+)$/.exec(value);
    if (!m) {
      failed++;
      lines.push(`  bad --suite argument "${value}": counted as 1 failure`);
      continue;
    }
    suite(m[1], m[2], Number(m[3]));
  } else {
    failed++;
    lines.push(`  unknown argument "${flag}": counted as 1 failure`);
    i--;
  }
}

function suite(name, file, exitCode) {
  let report;
  try {
    report = JSON.parse(readFileSync(file, "utf8"));
  } catch (err) {
    failed++;
    lines.push(`  ${name}: no readable report at ${file} (${err.code ?? err.message}): counted as 1 failure`);
    return;
  }
  const p = Number(report.numPassedTests) || 0;
  const f = Number(report.numFailedTests) || 0;
  const total = Number(report.numTotalTests) || 0;
  passed += p;
  failed += f;
  let note = "";
  if (total === 0) {
    failed++;
    note = " (no tests ran: counted as 1 failure)";
  } else if (exitCode !== 0 && f === 0) {
    failed++;
    note = ` (exit code ${exitCode} without a failed test: counted as 1 failure)`;
  }
  lines.push(`  ${name}: ${p} passed, ${f} failed${note}`);
}

if (lines.length) console.log(["Summary:", ...lines].join("\n"));
console.log(`${passed} passed, ${failed} failed`);
process.exitCode = failed > 0 ? 1 : 0;
