#!/usr/bin/env bash
# `npm test`: everything a change must pass, from a fresh clone, in the order a failure is cheapest
# to find: type check, unit, integration (real sync-server), build, end to end (Playwright driving
# Debian's chromium against the built PWA served by the real sync-server).
#
# Installs what is missing first: node_modules (`npm ci`) and, when running as root, chromium.
# Stops at the first failing step. The last line is always one summary: `N passed, M failed`.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
CHROMIUM="${CHROMIUM_PATH:-/usr/bin/chromium}"
export CHROMIUM_PATH="$CHROMIUM"

# Machine-readable results of each runner, read by the summary.
REPORT_DIR="$(mktemp -d "${TMPDIR:-/tmp}/cau-noi-test.XXXXXX")"
export PLAYWRIGHT_JSON_OUTPUT_FILE="$REPORT_DIR/playwright.json"

STEP=0
STEP_NAME=""
STEP_STARTED=$SECONDS
# Test counts (vitest + playwright), and steps that failed without counts (type check, build,
# a runner that crashed before writing its report). A red run never prints "0 failed".
PASSED=0
FAILED=0

step() {
	STEP=$((STEP + 1))
	STEP_NAME="$1"
	STEP_STARTED=$SECONDS
	printf '\n\033[1m==> [%d] %s\033[0m\n' "$STEP" "$STEP_NAME"
}

step_done() {
	printf '\033[2m    (%s: %ds)\033[0m\n' "$STEP_NAME" "$((SECONDS - STEP_STARTED))"
}

# Adds the counts in a vitest (--reporter=json) or playwright (json reporter) report to the totals.
# vitest: numPassedTests / numFailedTests, and failed files whose tests never ran (an import error)
# count as one failure each. playwright: passed = expected + flaky, failed = unexpected, plus
# global errors (a fixture or config that threw before any test). Prints "passed failed".
count_report() {
	node - "$1" "$2" <<'EOF'
const [kind, file] = process.argv.slice(2);
const fs = require('node:fs');
let r;
try { r = JSON.parse(fs.readFileSync(file, 'utf8')); } catch { console.log('0 -1'); process.exit(0); }
let passed = 0, failed = 0;
if (kind === 'vitest') {
	passed = r.numPassedTests ?? 0;
	failed = r.numFailedTests ?? 0;
	if (failed === 0 && r.success === false) failed = Math.max(1, r.numFailedTestSuites ?? 0);
} else {
	const s = r.stats ?? {};
	passed = (s.expected ?? 0) + (s.flaky ?? 0);
	failed = s.unexpected ?? 0;
	if (failed === 0 && Array.isArray(r.errors)) failed = r.errors.length;
}
console.log(`${passed} ${failed}`);
EOF
}

# Runs a test runner that wrote a JSON report, adds its counts, and keeps its exit status.
counted() {
	local kind="$1" report="$2"
	shift 2
	local status=0
	"$@" || status=$?
	local counts
	counts="$(count_report "$kind" "$report")"
	local p="${counts% *}" f="${counts#* }"
	if [ "$f" = "-1" ]; then
		# No report: the runner died before writing it. Its status decides.
		f=0
		[ "$status" -ne 0 ] && f=1
	elif [ "$status" -ne 0 ] && [ "$f" -eq 0 ]; then
		f=1
	fi
	PASSED=$((PASSED + p))
	FAILED=$((FAILED + f))
	return "$status"
}

# Plain commands (type check, build): a failure counts as one.
plain() {
	local status=0
	"$@" || status=$?
	[ "$status" -ne 0 ] && FAILED=$((FAILED + 1))
	return "$status"
}

summary() {
	local status=$?
	trap - EXIT
	rm -rf "$REPORT_DIR"
	echo
	if [ "$status" -eq 0 ]; then
		printf '\033[1;32mAll steps passed\033[0m in %ds\n' "$SECONDS"
	else
		[ "$FAILED" -eq 0 ] && FAILED=1
		printf '\033[1;31mFAILED at step [%d] %s\033[0m after %ds\n' "$STEP" "$STEP_NAME" "$SECONDS"
	fi
	echo "$PASSED passed, $FAILED failed"
	exit "$status"
}
trap summary EXIT

# --- what is missing -------------------------------------------------------------------------

step "dependencies"
# `-nt` is also true when the right-hand file is missing (an interrupted install).
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
	plain npm ci --no-audit --no-fund
else
	echo "node_modules is up to date"
fi
if [ -x "$CHROMIUM" ]; then
	echo "chromium: $CHROMIUM"
elif [ "$(id -u)" -eq 0 ]; then
	echo "chromium not found at $CHROMIUM: installing Debian's chromium"
	export DEBIAN_FRONTEND=noninteractive
	plain apt-get update
	plain apt-get install -y --no-install-recommends chromium
	CHROMIUM=/usr/bin/chromium
	export CHROMIUM_PATH="$CHROMIUM"
else
	echo "chromium not found at $CHROMIUM, and installing it needs root." >&2
	echo "Install it (sudo apt-get install chromium) or set CHROMIUM_PATH to a Chromium binary, then run npm test again." >&2
	FAILED=$((FAILED + 1))
	exit 1
fi
step_done

if [ -f scripts/copy-vendor.mjs ]; then
	step "vendor files (scripts/copy-vendor.mjs)"
	plain node scripts/copy-vendor.mjs
	step_done
fi

step "svelte-kit sync"
plain npx svelte-kit sync
step_done

# --- checks and tests ------------------------------------------------------------------------

step "type check (svelte-check: app, sync-server, tests)"
plain npx svelte-check --tsconfig ./tsconfig.json --threshold error
step_done

vitest_project() {
	local project="$1"
	step "vitest --project $project"
	counted vitest "$REPORT_DIR/vitest-$project.json" \
		npx vitest run --project "$project" --passWithNoTests \
		--reporter=default --reporter=json --outputFile.json="$REPORT_DIR/vitest-$project.json"
	step_done
}

vitest_project unit
vitest_project integration
# Added by the server work: integration tests against a CouchDB (they skip without COUCHDB_URL).
if grep -Eq "name: *['\"]integration-couch['\"]" vite.config.ts; then
	vitest_project integration-couch
fi

step "vite build"
plain npx vite build
# A province under a path of one host (several provinces, no host name each): its own build, served
# by the sync-server from build/<id>/ (README, "Several provinces"; tests/e2e/province-path.spec.ts).
step "vite build for a province under a path (/dak-lak)"
plain env BASE_PATH=/dak-lak BUILD_DIR=build/dak-lak KIT_OUT_DIR=.svelte-kit-dak-lak npx vite build
step_done

step "playwright (end to end, chromium)"
counted playwright "$PLAYWRIGHT_JSON_OUTPUT_FILE" npx playwright test
step_done
