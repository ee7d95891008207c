#!/bin/sh
# tools/setup.sh: installs what is missing, builds parlab in build/, and
# runs the default experiment (a short tour of the talk's claims).
#
# The set-up succeeds when parlab works: it builds, loads its plugins and
# runs every trial. A claim that does not hold here and now (exit 1: on a
# busy machine a verdict may come out inconclusive or fail) is reported,
# with the machine's load, but does not fail the set-up; a bad experiment
# file (2) or a failed trial (3) does.
set -eu
cd "$(dirname "$0")/.."
# The load before anything here runs: the build below raises it for a
# minute, which would make every machine look busy.
load_before=$(cut -d' ' -f1 /proc/loadavg)
tools/deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc)"

cpus=$(nproc)
load() { cut -d' ' -f1 /proc/loadavg; }
busy() { awk -v l="$1" -v n="$cpus" 'BEGIN { exit !(l > n / 2) }'; }
if busy "$load_before"; then
	echo "setup: the machine was busy before the build (load $load_before on $cpus CPUs): timings will be noisy"
fi
rc=0
build/parlab run experiments/default.yaml "$@" || rc=$?
case $rc in
0) ;;
1)
	echo "setup: parlab works; not every claim held on this machine just now."
	echo "setup: load average $(load) on $cpus CPUs. On a busy machine a verdict can"
	echo "setup: come out inconclusive or fail; rerun when it is calm:"
	echo "setup:   build/parlab run experiments/default.yaml"
	;;
*) exit "$rc" ;;
esac
