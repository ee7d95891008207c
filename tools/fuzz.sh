#!/bin/sh
# tools/fuzz.sh [SECONDS]: builds tests/fuzz/fuzz_experiment with clang
# (libFuzzer, ASan, UBSan) in build-fuzz and fuzzes the experiment loader
# and the expectation language for SECONDS (default 60) on a copy of
# tests/fuzz/corpus. Exits non-zero on a crash, a leak, a timeout or an
# out-of-memory; the input that did it is left in build-fuzz/artifacts/.
set -eu
cd "$(dirname "$0")/.."
seconds="${1:-60}"
case "$seconds" in
''|*[!0-9]*) echo "usage: tools/fuzz.sh [SECONDS]" >&2; exit 2 ;;
esac
tools/deps.sh
CC=clang cmake -S . -B build-fuzz -DPARLAB_FUZZ=ON -DPARLAB_TESTS=OFF \
	-DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build-fuzz -j"$(nproc)" --target fuzz_experiment >/dev/null
# The seeds stay as they are; what the fuzzer finds goes in the copy.
rm -rf build-fuzz/corpus build-fuzz/artifacts
mkdir -p build-fuzz/artifacts
cp -R tests/fuzz/corpus build-fuzz/corpus
log=build-fuzz/fuzz.log
status=0
ASAN_OPTIONS="detect_leaks=1" UBSAN_OPTIONS="print_stacktrace=1" \
build-fuzz/tests/fuzz/fuzz_experiment -max_total_time="$seconds" \
	-timeout=10 -rss_limit_mb=2048 -max_len=16384 \
	-artifact_prefix=build-fuzz/artifacts/ -print_final_stats=1 \
	build-fuzz/corpus >"$log" 2>&1 || status=$?
# libFuzzer's last "#N ... exec/s" line and its stat line say how many
# inputs ran.
grep -E '^#[0-9]+' "$log" | tail -1 || true
grep -E 'stat::number_of_executed_units' "$log" || true
if [ "$status" -ne 0 ]; then
	tail -60 "$log" >&2
	echo "fuzz: failed (exit $status); inputs in build-fuzz/artifacts/" >&2
	exit 1
fi
echo "fuzz: no crash in $seconds s"
