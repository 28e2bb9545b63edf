#!/usr/bin/env bash
# The test command README.md names: every package of the root module, under
# the race detector, fuzz seeds included (long fuzzing is not run here: see
# docs/testing.md).
set -euo pipefail
cd "$(dirname "$0")/.."
go test -race -count=1 ./...
# The tests that move a gigabyte shrink under the race detector, and
# allocation counts are only exact without it: run those once more without.
go test -count=1 -run 'Large|Bomb|Huge|Allocations' ./...
