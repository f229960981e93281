#!/usr/bin/env bash
# Sets up, builds in release mode and runs tallyd on its embedded default:
# 127.0.0.1:7600, data in ./tally-data, one account "default" on the free
# plan, no API keys. Extra arguments go to tallyd.
set -euo pipefail
cd "$(dirname "$0")/.."
Scripts/setup.sh
swift build -c release --product tallyd
swift build -c release --product tally
echo "tally CLI: $(swift build -c release --show-bin-path)/tally"
exec "$(swift build -c release --show-bin-path)/tallyd" "$@"
