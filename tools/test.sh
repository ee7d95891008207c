#!/bin/sh
# tools/test.sh: builds and runs the whole test suite: once as built for
# use, once under AddressSanitizer and UndefinedBehaviorSanitizer, the
# thread tests once under ThreadSanitizer, then the builds a user or a
# packager makes (Release and Debug with gcc, RelWithDebInfo with clang,
# the last one tested too), then fuzzes the experiment loader and the
# expectation language for 60 s (PARLAB_FUZZ_SECONDS). Warnings are
# errors in every build here, and in no user's build. Exits non-zero on
# any failure.
#
#   tools/test.sh                     the whole suite, as CI runs it
#   tools/test.sh --under-load [N]    the three test passes N times (5)
#                                     while stress-ng --cpu 4 runs beside
#
# No test asserts timing, so a busy machine makes the suite slower, never
# red; --under-load checks that promise.
set -eu
cd "$(dirname "$0")/.."
tools/deps.sh
jobs="$(nproc)"

# abort_on_error makes a sanitizer report fail the test that caused it.
export ASAN_OPTIONS="abort_on_error=1:detect_leaks=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
export TSAN_OPTIONS="halt_on_error=1:second_deadlock_stack=1"
# The tests that run threads, for the ThreadSanitizer pass: trial
# execution and the runtime (unit.exec.*) and the system tests that run
# threaded strategies (docs, writes, cli, cli_json and bounds never were).
thread_tests='^unit\.exec\.|^system\.(end_to_end|gil|pools|event_loop|spawn)$'

build() { # DIR [cmake args...]
	dir=$1
	shift
	cmake -S . -B "$dir" -DPARLAB_WERROR=ON "$@" >/dev/null
	cmake --build "$dir" -j"$jobs" >/dev/null
}

run_suite() { # DIR [ctest args...]
	dir=$1
	shift
	(cd "$dir" && ctest --output-on-failure -j"$jobs" "$@")
}

build_suites() {
	echo "== building build, build-asan, build-tsan"
	build build
	build build-asan -DPARLAB_SANITIZE="address,undefined"
	build build-tsan -DPARLAB_SANITIZE="thread"
}

run_suites() {
	echo "== tests in build"
	run_suite build
	echo "== tests in build-asan (sanitizers: address,undefined)"
	run_suite build-asan
	echo "== tests in build-tsan (sanitizers: thread)"
	run_suite build-tsan -R "$thread_tests"
}

under_load() { # ROUNDS
	rounds=$1
	command -v stress-ng >/dev/null || { echo "stress-ng is missing" >&2; exit 2; }
	build_suites
	# Four CPU hogs on this machine, bounded so that they end by
	# themselves even if this script is killed.
	stress-ng --cpu 4 --timeout 3h --quiet &
	hogs=$!
	trap 'kill $hogs 2>/dev/null || true' EXIT INT TERM
	i=1
	while [ "$i" -le "$rounds" ]; do
		echo "== round $i of $rounds beside stress-ng --cpu 4 (load: $(cut -d' ' -f1-3 /proc/loadavg))"
		run_suites
		i=$((i + 1))
	done
	echo "under load: $rounds of $rounds rounds passed"
}

if [ "${1:-}" = "--under-load" ]; then
	under_load "${2:-5}"
	exit 0
fi
[ $# -eq 0 ] || { echo "usage: tools/test.sh [--under-load [ROUNDS]]" >&2; exit 2; }

build_suites
run_suites
echo "== user builds: Release and Debug (gcc), RelWithDebInfo (clang)"
build build-release -DCMAKE_BUILD_TYPE=Release -DPARLAB_TESTS=OFF
build build-debug -DCMAKE_BUILD_TYPE=Debug -DPARLAB_TESTS=OFF
CC=clang build build-clang -DCMAKE_BUILD_TYPE=RelWithDebInfo
echo "== tests in build-clang"
run_suite build-clang
echo "== fuzzing the experiment loader and expectations"
tools/fuzz.sh "${PARLAB_FUZZ_SECONDS:-60}"
echo "all test builds passed"
