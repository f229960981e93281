#!/usr/bin/env bash
# Regenerates the protobuf-c sources in Sources/CTallyProto from Proto/.
# Needs protoc-c from Debian's protobuf-c-compiler. With --check it writes
# nothing and exits 1 when the checked-in sources differ from fresh output.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

protoc-c --c_out="$out" -I"$root/Proto" "$root/Proto/tally/v1/metering.proto"

# The header goes to include/ so that SwiftPM exports it; the source file
# includes it by its bare name.
sed -i 's|#include "tally/v1/metering.pb-c.h"|#include "metering.pb-c.h"|' "$out/tally/v1/metering.pb-c.c"

target="$root/Sources/CTallyProto"
if [[ "${1:-}" == "--check" ]]; then
  status=0
  cmp -s "$out/tally/v1/metering.pb-c.h" "$target/include/metering.pb-c.h" || status=1
  cmp -s "$out/tally/v1/metering.pb-c.c" "$target/metering.pb-c.c" || status=1
  if [[ $status -ne 0 ]]; then
    echo "Sources/CTallyProto is stale: run Proto/generate.sh and commit the result." >&2
  fi
  exit $status
fi

cp "$out/tally/v1/metering.pb-c.h" "$target/include/metering.pb-c.h"
cp "$out/tally/v1/metering.pb-c.c" "$target/metering.pb-c.c"
echo "Wrote $target/include/metering.pb-c.h and $target/metering.pb-c.c"
