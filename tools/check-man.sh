#!/bin/sh
# tools/check-man.sh DIR: renders every man page in DIR with groff and
# fails on any warning (-ww turns every warning on) or error.
set -eu
dir=${1:-man}
status=0
for page in "$dir"/*.[1-9]; do
	out=$(groff -man -Tutf8 -ww -z "$page" 2>&1) || status=1
	if [ -n "$out" ]; then
		printf '%s:\n%s\n' "$page" "$out" >&2
		status=1
	fi
done
exit $status
