#!/bin/sh
# tools/test.sh: builds and runs the whole test suite: once as built for
# use, once under AddressSanitizer and UndefinedBehaviorSanitizer, and the
# thread tests once under ThreadSanitizer. Exits non-zero on any failure.
set -eu
cd "$(dirname "$0")/.."
tools/deps.sh
jobs="$(nproc)"
run_suite() { # DIR SANITIZERS [ctest args...]
	dir=$1 san=$2
	shift 2
	echo "== tests in $dir ${san:+(sanitizers: $san)}"
	cmake -S . -B "$dir" -DPARLAB_SANITIZE="$san" >/dev/null
	cmake --build "$dir" -j"$jobs" >/dev/null
	(cd "$dir" && ctest --output-on-failure -j"$jobs" "$@")
}
# abort_on_error makes a sanitizer report fail the test that caused it.
export ASAN_OPTIONS="abort_on_error=1:detect_leaks=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
export TSAN_OPTIONS="halt_on_error=1:second_deadlock_stack=1"
run_suite build ""
run_suite build-asan "address,undefined"
run_suite build-tsan "thread" -R 'trial|end_to_end|gil|pools|spawn'
echo "all test builds passed"
