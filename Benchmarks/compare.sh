#!/usr/bin/env bash
# Compares tallyd RecordUsage (one record per request) with Redis HINCRBY on this machine.
#
# Starts its own tallyd and redis-server on loopback with temporary data directories, then runs
# the same load shapes against both, alternating, so that drift of the machine affects both:
#   50 connections without pipelining, and with 16 requests in flight per connection;
#   tallyd --durability sync      vs redis appendonly yes, appendfsync always;
#   tallyd --durability interval  vs redis appendonly yes, appendfsync everysec.
# Prints each pair and the ratio Tally/Redis. Stops every process it started.
#
# Environment: SECONDS_PER_RUN (default 8), ROUNDS (default 2), REDIS_REQUESTS_P1 and
# REDIS_REQUESTS_P16 (request counts of redis-benchmark, sized to run about SECONDS_PER_RUN).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
SECONDS_PER_RUN=${SECONDS_PER_RUN:-8}
ROUNDS=${ROUNDS:-2}
CONNECTIONS=50
TALLY_PORT=${TALLY_PORT:-17600}
REDIS_PORT=${REDIS_PORT:-17601}

if ! command -v redis-server >/dev/null || ! command -v redis-benchmark >/dev/null; then
    echo "compare.sh: installing redis-server and redis-tools from Debian" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server redis-tools >/dev/null
fi

cd "$ROOT"
swift build -c release --product tallyd >/dev/null
swift build -c release --product tally-bench >/dev/null
BIN="$ROOT/.build/release"

WORK=$(mktemp -d /tmp/tally-compare.XXXXXX)
STARTED=()
cleanup() {
    for pid in "${STARTED[@]}"; do
        kill "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    rm -rf "$WORK"
}
trap cleanup EXIT

KEY="bench-$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
HASH=$(printf %s "$KEY" | sha256sum | cut -d' ' -f1)
"$BIN/tally-bench" config --accounts 100 --key-sha256 "$HASH" >"$WORK/config.json"

TALLY_PID=""
REDIS_PID=""

start_tally() {  # $1 = sync | interval
    rm -rf "$WORK/tally-data" "$WORK/tally.addr"
    "$BIN/tallyd" --listen "127.0.0.1:$TALLY_PORT" --data-dir "$WORK/tally-data" --config "$WORK/config.json" \
        --durability "$1" --ready-file "$WORK/tally.addr" --log-level warning >"$WORK/tallyd-$1.log" 2>&1 &
    TALLY_PID=$!
    STARTED+=("$TALLY_PID")
    for _ in $(seq 100); do
        [ -s "$WORK/tally.addr" ] && return 0
        sleep 0.1
    done
    echo "compare.sh: tallyd did not start; log:" >&2
    cat "$WORK/tallyd-$1.log" >&2
    exit 1
}

start_redis() {  # $1 = always | everysec
    rm -rf "$WORK/redis-data"
    mkdir -p "$WORK/redis-data"
    redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --dir "$WORK/redis-data" --save "" \
        --appendonly yes --appendfsync "$1" --daemonize no --logfile "$WORK/redis-$1.log" &
    REDIS_PID=$!
    STARTED+=("$REDIS_PID")
    for _ in $(seq 100); do
        redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && return 0
        sleep 0.1
    done
    echo "compare.sh: redis-server did not start" >&2
    exit 1
}

stop() {  # $1 = pid
    kill "$1" 2>/dev/null || true
    wait "$1" 2>/dev/null || true
}

run_tally() {  # $1 = pipeline depth; prints "rps p50_ms p99_ms"
    local line
    line=$("$BIN/tally-bench" --server "127.0.0.1:$TALLY_PORT" --api-key "$KEY" --connections $CONNECTIONS \
        --pipeline "$1" --records 1 --accounts 100 --sessions 1000 --duration "$SECONDS_PER_RUN" --warmup 1 \
        --label "tally-p$1" | tee -a "$WORK/tally-bench.out" | grep '^RESULT ')
    local rps p50 p99 errors
    rps=$(sed -E 's/.*requests_per_s=([0-9.]+).*/\1/' <<<"$line")
    p50=$(sed -E 's/.*p50_us=([0-9.]+).*/\1/' <<<"$line")
    p99=$(sed -E 's/.*p99_us=([0-9.]+).*/\1/' <<<"$line")
    errors=$(sed -E 's/.*errors=([0-9]+).*/\1/' <<<"$line")
    if [ "$errors" != 0 ]; then
        echo "compare.sh: tally-bench reported $errors errors:" >&2
        grep 'first error' "$WORK/tally-bench.out" | tail -1 >&2
    fi
    awk -v r="$rps" -v a="$p50" -v b="$p99" 'BEGIN { printf "%.0f %.3f %.3f\n", r, a / 1000, b / 1000 }'
}

run_redis() {  # $1 = pipeline depth; prints "rps p50_ms p99_ms"
    local requests
    if [ "$1" = 1 ]; then requests=${REDIS_REQUESTS_P1:-$((SECONDS_PER_RUN * 60000))}
    else requests=${REDIS_REQUESTS_P16:-$((SECONDS_PER_RUN * 280000))}; fi
    # CSV columns: test, rps, avg, min, p50, p95, p99, max (latencies in ms).
    redis-benchmark -h 127.0.0.1 -p "$REDIS_PORT" -c $CONNECTIONS -P "$1" -n "$requests" -r 100000 --csv \
        HINCRBY acct:__rand_int__ input 120 | tail -1 | tr -d '"' | awk -F, '{ printf "%.0f %.3f %.3f\n", $2, $5, $7 }'
}

echo "Tally vs Redis: RecordUsage (1 record per request) vs HINCRBY; $CONNECTIONS connections; $ROUNDS rounds, alternating"
echo "machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) cores, $(free -g | awk '/Mem:/ { print $2 }') GiB"
echo "redis: $(redis-server --version | cut -d' ' -f3)"
printf '%-32s %-6s %5s %12s %9s %9s %12s %9s %9s %7s\n' pairing depth round tally_rps p50_ms p99_ms redis_rps p50_ms p99_ms ratio
SUMMARY=()
for pairing in "sync always" "interval everysec"; do
    set -- $pairing
    tally_mode=$1
    redis_mode=$2
    start_tally "$tally_mode"
    start_redis "$redis_mode"
    for depth in 1 16; do
        tally_sum=0
        redis_sum=0
        for round in $(seq "$ROUNDS"); do
            # Alternate which side goes first, so that neither always runs on a warmer machine.
            if [ $((round % 2)) = 1 ]; then
                read -r t_rps t_p50 t_p99 < <(run_tally "$depth")
                read -r r_rps r_p50 r_p99 < <(run_redis "$depth")
            else
                read -r r_rps r_p50 r_p99 < <(run_redis "$depth")
                read -r t_rps t_p50 t_p99 < <(run_tally "$depth")
            fi
            ratio=$(awk -v t="$t_rps" -v r="$r_rps" 'BEGIN { printf "%.2f", t / r }')
            printf '%-32s %-6s %5s %12s %9s %9s %12s %9s %9s %7s\n' "tally $tally_mode / redis $redis_mode" \
                "$depth" "$round" "$t_rps" "$t_p50" "$t_p99" "$r_rps" "$r_p50" "$r_p99" "${ratio}x"
            tally_sum=$((tally_sum + t_rps))
            redis_sum=$((redis_sum + r_rps))
        done
        SUMMARY+=("$(awk -v m="tally $tally_mode / redis $redis_mode" -v d="$depth" -v t="$tally_sum" -v r="$redis_sum" -v n="$ROUNDS" \
            'BEGIN { printf "%-32s %-6s %12.0f %12.0f %7.2fx %s\n", m, d, t / n, r / n, t / r, (t >= r ? "met" : "NOT met") }')")
    done
    stop "$TALLY_PID"
    stop "$REDIS_PID"
done
echo
echo "mean over rounds (target: Tally/Redis at least 1.0x)"
printf '%-32s %-6s %12s %12s %8s %s\n' pairing depth tally_rps redis_rps ratio target
printf '%s\n' "${SUMMARY[@]}"
