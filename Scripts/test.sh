#!/usr/bin/env bash
# Sets up, builds everything (the end-to-end tests run the built tallyd and
# tally binaries) and runs the whole test suite: a one-minute fuzzing pass,
# the Swift tests, then the Python client's tests.
set -euo pipefail
cd "$(dirname "$0")/.."
Scripts/setup.sh
swift build --build-tests

# A short fuzzing run of the request path (frame decoder, codec, service).
Fuzz/run.sh 60

swift test --skip-build "$@"

# The Python client's tests run against the tallyd built above.
TALLYD="$(swift build --show-bin-path)/tallyd" Clients/python/test.sh -q
