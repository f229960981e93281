#!/usr/bin/env bash
# Loads one account of a tallyd (--durability sync) with many records through batched RecordUsage,
# then measures: batched records/s, resident-size growth per stored record, GetSummary LAST_30_DAYS
# latency and ListRecords latency by page depth on that account. A second tallyd measures GetQuota
# latency on free-plan accounts while RecordUsage runs at half of its maximum rate.
#
# Environment: RECORDS (records to load, default 10000000), SESSIONS (default 100000),
# LOAD_SECONDS_MAX (stop loading after this long, default 240), WALK_PAGES (default 20000).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
RECORDS=${RECORDS:-10000000}
SESSIONS=${SESSIONS:-100000}
LOAD_SECONDS_MAX=${LOAD_SECONDS_MAX:-240}
WALK_PAGES=${WALK_PAGES:-20000}
PORT=${TALLY_PORT:-17610}

cd "$ROOT"
swift build -c release --product tallyd >/dev/null
swift build -c release --product tally-bench >/dev/null
BIN="$ROOT/.build/release"
WORK=$(mktemp -d /tmp/tally-scale.XXXXXX)
PID=""
cleanup() {
    if [ -n "$PID" ]; then kill "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true; fi
    rm -rf "$WORK"
}
trap cleanup EXIT

KEY="bench-$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
HASH=$(printf %s "$KEY" | sha256sum | cut -d' ' -f1)
SERVER="127.0.0.1:$PORT"

start_tally() {  # $1 = config file
    rm -rf "$WORK/data" "$WORK/addr"
    "$BIN/tallyd" --listen "$SERVER" --data-dir "$WORK/data" --config "$1" --durability sync \
        --ready-file "$WORK/addr" --log-level warning >"$WORK/tallyd.log" 2>&1 &
    PID=$!
    for _ in $(seq 100); do [ -s "$WORK/addr" ] && return 0; sleep 0.1; done
    echo "scale.sh: tallyd did not start" >&2; cat "$WORK/tallyd.log" >&2; exit 1
}
stop_tally() { kill "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true; PID=""; }
rss_kib() { awk '/^VmRSS:/ { print $2 }' "/proc/$PID/status"; }
bench() { "$BIN/tally-bench" --server "$SERVER" --api-key "$KEY" "$@"; }

echo "== batched RecordUsage, 1000 records per request, --durability sync; then memory, summary, list"
"$BIN/tally-bench" config --accounts 1 --account-prefix big- --key-sha256 "$HASH" >"$WORK/big.json"
start_tally "$WORK/big.json"
# A few records first, so that the baseline includes the account's and the runtime's fixed costs.
bench --accounts 1 --account-prefix big- --sessions "$SESSIONS" --connections 1 --records 1000 --requests 10 --warmup 0 \
    --label warm >/dev/null
RSS0=$(rss_kib)
STARTED=$(date +%s)
LOADED=0
while [ "$LOADED" -lt "$RECORDS" ] && [ $(( $(date +%s) - STARTED )) -lt "$LOAD_SECONDS_MAX" ]; do
    CHUNK=$(( RECORDS - LOADED < 1000000 ? RECORDS - LOADED : 1000000 ))
    bench --accounts 1 --account-prefix big- --sessions "$SESSIONS" --connections 4 --pipeline 4 --records 1000 \
        --requests $(( CHUNK / 1000 )) --warmup 0 --seed $(( LOADED / 1000 + 1 )) --label "batch-1000-sync@$LOADED" \
        | tee "$WORK/load.out" | grep -E '^RESULT |requests in'
    LOADED=$(( LOADED + CHUNK ))
done
RSS1=$(rss_kib)
echo "loaded $LOADED records (10 warm-up requests of 1000 before) in $(( $(date +%s) - STARTED )) s"
awk -v a="$RSS0" -v b="$RSS1" -v n="$LOADED" 'BEGIN {
    printf "RESULT label=memory rss_before_kib=%d rss_after_kib=%d records=%d bytes_per_record=%.1f\n", a, b, n, (b - a) * 1024 / n }'
echo "== GetSummary LAST_30_DAYS (max_sessions 100) on the loaded account, 1 connection"
bench --accounts 1 --account-prefix big- --connections 1 --mix summary=100 --duration 10 --warmup 1 \
    --summary-sessions 100 --label summary-last30 | grep -E '^RESULT |requests in|first error'
echo "== ListRecords, page of 100, walking $WALK_PAGES pages deep"
bench --account-prefix big- --walk-pages "$WALK_PAGES" --page-size 100 --label list-walk
stop_tally

echo "== GetQuota on free-plan accounts while RecordUsage (1 record) runs at half of its maximum rate"
"$BIN/tally-bench" config --accounts 100 --free-accounts 100 --key-sha256 "$HASH" >"$WORK/mixed.json"
start_tally "$WORK/mixed.json"
bench --connections 50 --pipeline 16 --duration 5 --label record-max >"$WORK/max.out"
grep -E '^RESULT |requests in' "$WORK/max.out"
MAX=$(grep '^RESULT ' "$WORK/max.out" | sed -E 's/.*requests_per_s=([0-9.]+).*/\1/')
HALF=$(awk -v m="$MAX" 'BEGIN { printf "%.0f", m / 2 }')
echo "maximum $MAX requests/s; pacing at $HALF requests/s (90% RecordUsage, 10% GetQuota)"
bench --connections 50 --pipeline 16 --rate "$HALF" --mix record=90,quota=10 --quota-accounts 100 --quota-prefix free- \
    --duration 10 --label quota-at-half | grep -E '^RESULT|requests in|first error'
stop_tally
