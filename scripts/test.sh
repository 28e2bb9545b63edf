#!/usr/bin/env bash
# The test command README.md names: every package of the root module and of
# the nested modules cache/redisstore and telemetry (the bench module's
# tests are run by .ci/run), under the race detector, fuzz seeds included
# (long fuzzing is not run here: see docs/testing.md).
#
# Tests that run an external program (tinyproxy, curl, python3 with
# requests and charset_normalizer, redis-server) skip where it is missing, unless
# RELAY_REQUIRE_EXTERNAL=1 (as .ci/run sets) makes that a failure; their
# in-process twins always run. The last line printed names what was skipped
# and how to install it, or says "skipped: nothing".
set -euo pipefail
cd "$(dirname "$0")/.."

skipdir="$(mktemp -d)"
export RELAY_SKIPPED_FILE="$skipdir/skipped"
: >"$RELAY_SKIPPED_FILE"

# summary prints one line: the tests skipped (top-level names), grouped by
# what they lacked and how to install it. internal/testenv writes the file:
# one "what<TAB>install<TAB>test" line per skip.
summary() {
	sort -u "$RELAY_SKIPPED_FILE" | awk -F '\t' '
		{
			key = $1 ": " $2
			if (key in tests) { tests[key] = tests[key] ", " $3 } else { order[++n] = key; tests[key] = $3 }
		}
		END {
			if (n == 0) { print "skipped: nothing"; exit }
			line = "skipped:"
			for (i = 1; i <= n; i++) { line = line (i > 1 ? ";" : "") " " tests[order[i]] " (" order[i] ")" }
			print line
		}'
}
trap 'summary; rm -rf "$skipdir"' EXIT

go test -race -count=1 ./...
(cd cache/redisstore && go test -race -count=1 ./...)
(cd telemetry && go test -race -count=1 ./...)
(cd bench && go test -race -count=1 ./...) # its tests, not its benchmarks
# The tests that move a gigabyte shrink under the race detector, and
# allocation counts are only exact without it: run those once more without.
go test -count=1 -run 'Large|Bomb|Huge|Allocations' ./...
(cd telemetry && go test -count=1 -run 'Allocations' ./...)
