#!/usr/bin/env bash
# Sets up, builds everything (the end-to-end tests run the built tallyd and
# tally binaries) and runs the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
Scripts/setup.sh
swift build --build-tests
swift test --skip-build "$@"
