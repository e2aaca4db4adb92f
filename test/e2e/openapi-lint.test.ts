/**
 * openapi.json under a common linter's recommended rules: Redocly CLI (`@redocly/cli`, pinned devDependency,
 * built-in "recommended" ruleset, no network) lints the document the running Worker serves. Clean means no
 * error and no warning; the two operations that cannot fail with a client error (health, the document itself)
 * are the only exceptions, listed with their reason in .redocly.lint-ignore.yaml.
 */
import { execFile } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { expect, test } from "vitest";
import { baseUrl } from "./harness";

const ROOT = resolve(import.meta.dirname, "../..");
const SPEC = ".ci/out/openapi.json"; // the path .redocly.lint-ignore.yaml names
const REDOCLY = join(ROOT, "node_modules/@redocly/cli/bin/cli.js");

test("openapi.json has no problem under Redocly's recommended rules", async () => {
  const res = await fetch(`${baseUrl()}/api/openapi.json`);
  expect(res.status).toBe(200);
  mkdirSync(join(ROOT, ".ci/out"), { recursive: true });
  writeFileSync(join(ROOT, SPEC), await res.text());
  const env = { ...process.env, REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true", NO_COLOR: "1" };
  const result = await promisify(execFile)(process.execPath, [REDOCLY, "lint", SPEC, "--format=json", "--max-problems=1000"], { cwd: ROOT, env, maxBuffer: 16 * 1024 * 1024 }).catch(
    (err: { stdout?: string; stderr?: string }) => ({ stdout: err.stdout ?? "", stderr: err.stderr ?? "" }),
  );
  const report = JSON.parse(result.stdout.slice(result.stdout.indexOf("{"))) as {
    totals: { errors: number; warnings: number; ignored: number };
    problems: Array<{ ruleId: string; message: string; location: Array<{ pointer: string }> }>;
  };
  const problems = report.problems.map((p) => `${p.ruleId}: ${p.message} at ${p.location[0]?.pointer}`);
  expect(problems, result.stderr).toEqual([]);
  expect(report.totals).toMatchObject({ errors: 0, warnings: 0 });
  expect(report.totals.ignored).toBeLessThanOrEqual(2);
}, 120_000);
