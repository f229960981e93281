#!/usr/bin/env bash
# Sets up, builds everything (the end-to-end tests run the built tallyd and
# tally binaries) and runs the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
Scripts/setup.sh
swift build --build-tests
swift test --skip-build "$@"

# The Python client's tests run against the tallyd built above.
TALLYD="$(swift build --show-bin-path)/tallyd" Clients/python/test.sh -q

# A short fuzzing run of the request path (frame decoder, codec, service).
Fuzz/run.sh 60
