#!/bin/sh
# Times tallyd's recovery of a data directory holding RECORDS records: half in a
# snapshot, half in the write-ahead log. Prints the recovery line that tallyd
# logs and the records per second derived from it, plus the resident memory.
#
# usage: Benchmarks/recovery/run.sh [RECORDS] [ACCOUNTS] [EVENT_ID_BYTES]
# defaults: 10000000 records over 8 accounts, 24-byte event ids.
# Environment: TALLYD (default .build/release/tallyd), WORK (default a new
# directory under /tmp), RUNS (default 3), SPLIT=snapshot|log|both (default both).
set -eu

records=${1:-10000000}
accounts=${2:-8}
event_bytes=${3:-24}
runs=${RUNS:-3}
split=${SPLIT:-both}
root=$(cd "$(dirname "$0")/../.." && pwd)
tallyd=${TALLYD:-$root/.build/release/tallyd}
work=${WORK:-$(mktemp -d /tmp/tally-recovery-XXXXXX)}

if [ ! -x "$tallyd" ]; then
    echo "tallyd not found at $tallyd; build it with: swift build -c release --product tallyd" >&2
    exit 1
fi
cc -O2 -o "$work/make_data" "$root/Benchmarks/recovery/make_data.c"

case $split in
    both) snapshot_records=$((records / 2)); log_records=$((records - records / 2)) ;;
    snapshot) snapshot_records=$records; log_records=0 ;;
    log) snapshot_records=0; log_records=$records ;;
    *) echo "SPLIT must be snapshot, log or both; got $split" >&2; exit 2 ;;
esac

mkdir -p "$work/template"
"$work/make_data" "$work/template" "$accounts" "$snapshot_records" "$log_records" "$event_bytes"

config="$work/config.json"
{
    printf '{"plans": {"unlimited": {}}, "accounts": {'
    index=0
    while [ $index -lt "$accounts" ]; do
        [ $index -gt 0 ] && printf ', '
        printf '"bench-%d": {"plan": "unlimited"}' $index
        index=$((index + 1))
    done
    # A key is required in a config file; nobody connects during the benchmark, so its hash is arbitrary.
    printf '}, "keys": [{"sha256": "%s", "role": "admin", "name": "recovery benchmark"}]}\n' \
        "$(printf 'recovery-benchmark-key' | sha256sum | cut -c1-64)"
} > "$config"

run=1
while [ $run -le "$runs" ]; do
    rm -rf "$work/data" "$work/ready" "$work/tallyd.log"
    cp -r "$work/template" "$work/data"
    sync
    started=$(date +%s.%N)
    "$tallyd" --listen 127.0.0.1:0 --data-dir "$work/data" --config "$config" \
        --ready-file "$work/ready" --snapshot-interval 3600 > "$work/tallyd.log" 2>&1 &
    pid=$!
    while [ ! -s "$work/ready" ]; do
        if ! kill -0 $pid 2>/dev/null; then
            echo "tallyd exited early:" >&2
            cat "$work/tallyd.log" >&2
            exit 1
        fi
        sleep 0.02
    done
    ready=$(date +%s.%N)
    rss_kb=$(awk '/^VmRSS/ {print $2}' /proc/$pid/status)
    kill -9 $pid
    wait $pid 2>/dev/null || true
    line=$(grep 'recovered metering state' "$work/tallyd.log")
    echo "run $run: $line"
    echo "$line" | awk -v started="$started" -v ready="$ready" -v rss="$rss_kb" -v records="$records" '
        {
            for (i = 1; i <= NF; i++) {
                if ($i ~ /^duration_ms=/) { d = $i; sub(/^duration_ms=/, "", d); gsub(/"/, "", d); d = d / 1000 }
            }
        }
        END {
            printf "run: recovery %.3f s in the core log, %.3f s to ready file, %.0f records/s (core), %.0f records/s (to ready), RSS %.0f MiB = %.1f bytes/record\n",
                d, ready - started, records / d, records / (ready - started), rss / 1024, rss * 1024 / records
        }'
    run=$((run + 1))
done
echo "data kept in $work"
