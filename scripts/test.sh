#!/usr/bin/env bash
# `npm test`: the README's test command, and exactly what CI runs (.ci/run calls it).
#
#   static checks (stop at the first failure): typecheck → structure rules → worker types up to date → vite build
#     → migration drift → wrangler deploy --dry-run
#   tests (all always run): vitest in workerd → the calendar-sensitive worker tests again on three shifted
#     clocks (TEST_NOW) → E2E (wrangler dev + Chromium)
#   summary: last line "N passed, N failed" (scripts/summary.mjs); exit non-zero on any failure.
set -uo pipefail
cd "$(dirname "$0")/.."

OUT=.ci/out
mkdir -p "$OUT"
rm -rf "$OUT"/vitest*.json "$OUT/e2e.json" "$OUT/screenshots"

export WRANGLER_SEND_METRICS=false
# Miniflare reads this once at import time, so it must be set before vitest or wrangler starts;
# it lets workerd trust the STARTTLS/TLS SMTP sinks' test certificate (Miniflare reads it once, at import).
export NODE_EXTRA_CA_CERTS="$PWD/test/fakes/tls/ca.pem"
# Local bins directly: same versions as npx, without its start-up cost and npm config warnings.
export PATH="$PWD/node_modules/.bin:$PATH"

summary_args=()

header() { printf '\n==> %s\n' "$*"; }

# Runs a static step; on failure records it and jumps to the summary.
static_step() {
  local name=$1
  shift
  header "$name"
  if ! "$@"; then
    echo "FAILED: $name"
    summary_args+=(--failed-step "$name")
    finish
  fi
}

finish() {
  header "summary"
  node scripts/summary.mjs "${summary_args[@]}" || {
    rc=$?
    # summary.mjs exits 1 on failures; anything else means it could not run at all.
    [ "$rc" -eq 1 ] || echo "0 passed, 1 failed"
    exit 1
  }
  exit 0
}

check_worker_types() {
  # Regenerate with `npm run cf-typegen` (one source of truth for the flags) and compare.
  # Not `wrangler types --check`: in 4.86.0 it recomputes the hash without the --env-file the
  # file was generated with (.dev.vars.example), so it always reports "out of date".
  local file=worker/worker-configuration.d.ts saved
  saved=$(mktemp)
  cp "$file" "$saved" || return 1
  if ! npm run --silent cf-typegen >/dev/null; then
    cp "$saved" "$file"
    rm -f "$saved"
    return 1
  fi
  if cmp -s "$saved" "$file"; then
    rm -f "$saved"
    echo "$file is up to date"
    return 0
  fi
  diff -u "$saved" "$file" | head -40
  cp "$saved" "$file" # leave the tree as it was
  rm -f "$saved"
  echo "$file is out of date: run \`npm run cf-typegen\` and commit it."
  return 1
}

check_migration_drift() {
  if ! git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    echo "not a git work tree: drift check skipped"
    return 0
  fi
  drizzle-kit generate || return 1
  local dirty
  dirty=$(git status --porcelain -- migrations)
  if [ -n "$dirty" ]; then
    echo "Migration drift: after \`drizzle-kit generate\`, migrations/ differs from what is committed:"
    echo "$dirty"
    echo "A schema change has no committed migration. Delete the auto-named file above, run"
    echo "\`npx drizzle-kit generate --name <what_changed>\` and commit migrations/ (or revert the schema change)."
    return 1
  fi
}

static_step "typecheck (tsc x3)" npm run --silent typecheck
static_step "structure (dependencies point down, short functions)" node scripts/check-structure.mjs
static_step "worker types up to date" check_worker_types
static_step "vite build" vite build --logLevel warn
static_step "migration drift" check_migration_drift
static_step "bundle (wrangler deploy --dry-run)" wrangler deploy --dry-run --outdir "$OUT/deploy"

header "vitest (workerd)"
vitest run --config vitest.config.ts --reporter=default --reporter=json --outputFile.json="$OUT/vitest.json"
summary_args+=(--suite "vitest=$OUT/vitest.json:$?")

# Green on any date: the calendar-sensitive worker tests (those that take their dates from test/clock.ts) run
# again with the whole suite and the Worker under test on a shifted clock: a month-end followed by a shorter
# month, a leap day, and the last minutes of a year. TEST_NOW → CLOCK_OFFSET_MS (vitest.config.ts).
# A test file is calendar-sensitive when it imports test/clock.ts itself, takes its "now" from a helper beside
# it that does (a test/worker/routes/<resource>-helpers.ts exporting NOW), or builds its world with a shared
# fixture module that dates it from the clock (a test/<area>-fixtures.ts importing ./clock). test/README.md.
dated_tests() {
  local helpers fixtures
  helpers=$(grep -rlE "^export const NOW = " test/worker --include='*-helpers.ts' | xargs -r -n1 basename | sed 's/\.ts$//' | paste -sd'|')
  fixtures=$(grep -lE "from \"\./clock\"" test/*-fixtures.ts 2>/dev/null | xargs -r -n1 basename | sed 's/\.ts$//' | paste -sd'|')
  {
    grep -rlE "from \"(\.\./)+clock\"" test/worker --include='*.test.ts'
    [ -z "$helpers" ] || grep -rlE "from \"\./($helpers)\"" test/worker --include='*.test.ts'
    [ -z "$fixtures" ] || grep -rlE "from \"(\.\./)+($fixtures)\"" test/worker --include='*.test.ts'
  } | sort -u
}
mapfile -t dated < <(dated_tests)
for at in "2027-01-31T12:00:00Z" "2028-02-29T12:00:00Z" "2026-12-31T23:45:00Z"; do
  header "vitest (workerd) on a shifted clock: $at (${#dated[@]} files)"
  name="vitest@${at%%T*}"
  TEST_NOW="$at" vitest run --config vitest.config.ts "${dated[@]}" --reporter=default --reporter=json --outputFile.json="$OUT/$name.json"
  summary_args+=(--suite "$name=$OUT/$name.json:$?")
done

header "e2e (wrangler dev + Chromium)"
vitest run --config vitest.e2e.config.ts --reporter=default --reporter=json --outputFile.json="$OUT/e2e.json"
summary_args+=(--suite "e2e=$OUT/e2e.json:$?")

finish
