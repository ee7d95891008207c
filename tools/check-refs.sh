#!/bin/sh
# check-refs.sh: the project stands on its own. No tracked file may point
# at files outside the tree: a sibling checkout's shared folder, the
# product specification kept beside the project, or an absolute path of
# the machine it was written on. The user's reference lives in docs/.
#
# Usage: tools/check-refs.sh [ROOT]   (default: the folder above tools/)
# Prints "file:line: text" for each reference; exits 1 if any.
root=${1:-$(dirname "$0")/..}
cd "$root" || exit 2
# The patterns are built from pieces so that this file does not match them.
up='\.\.'/shared
spec=SPEC'\.md'
abs='/'work/
pattern="$up|$spec|$abs"
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
	files=$(git ls-files)
else
	files=$(find . -path ./.git -prune -o -path './build*' -prune \
	        -o -type f -print)
fi
# shellcheck disable=SC2086  # file names of this tree have no spaces
found=$(printf '%s\n' $files | xargs grep -nIE "$pattern" -- 2>/dev/null)
if [ -n "$found" ]; then
	printf '%s\n' "$found"
	echo "check-refs: the lines above refer to files outside the project; put what they need in docs/" >&2
	exit 1
fi
exit 0
