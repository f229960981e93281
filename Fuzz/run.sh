#!/usr/bin/env bash
# Builds the libFuzzer target in Fuzz/FuzzTarget.swift and runs it.
#
#   Fuzz/run.sh [SECONDS] [extra libFuzzer flags...]
#
# SECONDS defaults to 60. Swift code is built with Swift's own
# -sanitize=fuzzer,address (coverage feedback and AddressSanitizer); the C
# targets (protoc-c output, CTallySystem) also get UndefinedBehaviorSanitizer,
# which swiftc does not offer for Swift on Linux. The script exits non-zero
# when the fuzzer finds a crash, a leak or a sanitizer error, and prints where
# it wrote the input that caused it.
#
# New inputs go to .build/fuzz/corpus, not to the checked-in Fuzz/corpus.
# Environment: FUZZ_JOBS (parallel fuzzing processes, default 1),
# FUZZ_LEAKS=0 (turns LeakSanitizer off for long runs, which measured about
# 1.5 times the executions per second here), FUZZ_BUILD_ONLY=1 (build and stop).
set -euo pipefail

seconds="${1:-60}"
shift || true
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

# The package's system libraries; CI machines may start without them.
missing=()
for package in libprotobuf-c-dev libssl-dev pkg-config; do
    dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
if ((${#missing[@]} > 0)); then
    echo "Fuzz/run.sh: installing ${missing[*]}" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

build=".build/fuzz"
triple="$(swift -print-target-info | sed -n 's/.*"triple": "\(.*\)".*/\1/p' | head -n 1)"
release="$build/$triple/release"

# The sanitizers go in one comma-separated flag: when SwiftPM's --sanitize is
# given twice, the Swift compiler was seen to apply only one of the two, which
# one varying from build to build.
swift build -c release --build-path "$build" \
    -Xswiftc -sanitize=fuzzer,address \
    -Xcc -fsanitize=fuzzer-no-link,address,undefined -Xcc -fno-sanitize-recover=undefined \
    --target TallyServer

objects=()
for target in TallyServer TallyCore TallyWire TallySocket CTallyProto CTallySystem; do
    objects+=("$release/$target.build"/*.o)
done

# Every object must carry both coverage counters and AddressSanitizer checks.
for target in TallyServer TallyCore TallyWire TallySocket CTallyProto CTallySystem; do
    symbols="$(nm "$release/$target.build"/*.o)"
    for symbol in __sanitizer_cov_8bit_counters_init __asan_report_load; do
        if ! grep -q "$symbol" <<<"$symbols"; then
            echo "Fuzz/run.sh: $target was built without $symbol; remove $build and build again" >&2
            exit 1
        fi
    done
done

swiftc -O -swift-version 6 -parse-as-library -module-name TallyFuzz \
    -sanitize=fuzzer,address \
    -I "$release/Modules" \
    -Xcc "-fmodule-map-file=$release/CTallyProto.build/module.modulemap" \
    -Xcc "-fmodule-map-file=$release/CTallySystem.build/module.modulemap" \
    -Xcc "-fmodule-map-file=$root/Sources/COpenSSL/module.modulemap" \
    -Xcc "-fmodule-map-file=$root/Sources/CProtobufC/module.modulemap" \
    Fuzz/FuzzTarget.swift "${objects[@]}" \
    -Xlinker -lprotobuf-c -Xlinker -lcrypto \
    -Xclang-linker -fsanitize=undefined -use-ld=lld \
    -o "$build/tally-fuzz"

if [[ "${FUZZ_BUILD_ONLY:-0}" == 1 ]]; then
    echo "built $build/tally-fuzz"
    exit 0
fi

mkdir -p "$build/corpus" "$build/artifacts"
jobs="${FUZZ_JOBS:-1}"
parallel=()
if ((jobs > 1)); then
    parallel=(-fork="$jobs" -ignore_crashes=0)
fi

# Allocation stacks of 5 frames and a 16 MB quarantine, instead of the default
# 30 frames and 256 MB, so the sanitizer allocator stops dominating the run
# time. Reports still show the faulting stack and a short allocation stack.
asan="detect_leaks=${FUZZ_LEAKS:-1}:abort_on_error=1:symbolize=1:malloc_context_size=5:quarantine_size_mb=16"

# The target's metering core writes its log in a temporary directory, and
# fork mode keeps its job files there. On tmpfs that measured 10 to 15 % more
# executions per second than on the ext4 root here.
if [[ -z "${TMPDIR:-}" && -d /dev/shm && -w /dev/shm ]]; then
    export TMPDIR=/dev/shm
fi

set +e
ASAN_OPTIONS="$asan" \
UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1" \
"$build/tally-fuzz" \
    -max_total_time="$seconds" \
    -rss_limit_mb=4096 \
    -max_len=16384 \
    -timeout=30 \
    -dict=Fuzz/tally.dict \
    -print_final_stats=1 \
    -artifact_prefix="$build/artifacts/" \
    "${parallel[@]}" \
    "$@" \
    "$build/corpus" Fuzz/corpus
status=$?
set -e

if ((status != 0)); then
    echo "Fuzz/run.sh: the fuzzer exited with status $status; inputs that failed are in $build/artifacts/" >&2
fi
exit "$status"
