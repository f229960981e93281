#!/usr/bin/env bash
# Regenerates src/tally_client/metering_pb2.py and metering_pb2.pyi from
# Proto/tally/v1/metering.proto with protoc (Debian's protobuf-compiler,
# protoc 3.21.12). With --check it writes nothing and exits 1 when the
# checked-in files differ from fresh output.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
proto_root=$(cd "$here/../../Proto" && pwd)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

protoc --python_out="$out" --pyi_out="$out" -I"$proto_root" "$proto_root/tally/v1/metering.proto"

target="$here/src/tally_client"
if [[ "${1:-}" == "--check" ]]; then
  status=0
  for name in metering_pb2.py metering_pb2.pyi; do
    if ! cmp -s "$out/tally/v1/$name" "$target/$name"; then
      echo "$target/$name is stale: run Clients/python/generate.sh and commit the result." >&2
      status=1
    fi
  done
  exit $status
fi

cp "$out/tally/v1/metering_pb2.py" "$out/tally/v1/metering_pb2.pyi" "$target/"
echo "Wrote $target/metering_pb2.py and $target/metering_pb2.pyi"
