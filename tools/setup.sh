#!/bin/sh
# tools/setup.sh: installs what is missing, builds parlab in build/, and
# runs the default experiment (a short tour of the talk's claims).
set -eu
cd "$(dirname "$0")/.."
tools/deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc)"
exec build/parlab run experiments/default.yaml "$@"
