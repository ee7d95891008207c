#!/bin/sh
# tools/deps.sh: installs what parlab needs to build and test on Debian 12
# (or a derivative), skipping whatever is already there. Needs root or sudo.
# slurm-wlm and munge are for system.slurm: installing them starts no
# cluster (no slurm.conf yet); tools/slurm-local.sh configures and starts one.
# python3 runs the tools (calibrate, fidelity) and system.gil_trace.
set -eu
pkgs="build-essential cmake pkg-config git libyaml-dev libhwloc-dev hwloc libcunit1-dev libxml2-utils chromium stress-ng clang g++ groff-base slurm-wlm munge python3"
missing=""
for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "parlab: installing:$missing" >&2
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq $missing >/dev/null
