#!/bin/sh
# check-layers.sh: enforces the layering of core/. Each folder is a layer;
# a file may include headers of its own folder and of the folders below
# it, never of a folder above. The order, bottom to top:
#
#   base     leaf helpers: allocation, strings, JSON/CSV writers, units,
#            diagnostics, suggestions
#   env      what a run happens among: the plugin registry and loader,
#            plugin parameter tables, the machine's topology and pin plans
#   input    what the user wrote: YAML tree, experiment file, expectation
#            syntax
#   plan     what will run: trials, sweeps, baselines, selectors bound to
#            trials
#   measure  the maths of what was measured: statistics, histograms,
#            per-trial measurements and their summaries, verdicts
#            (below exec because a trial's process records histograms)
#   exec     running one trial in its own process: the runtime, the host
#            API plugins call, the parent/child run region
#   output   results files, exports, charts, the HTML report
#   cmd      the commands and the command line
#
# Further rules:
#   - a core include names its folder ("plan/plan.h"); only the public
#     plugin ABI, "parlab/plugin.h", is included by its own path;
#   - a header named *_internal.h is private to its folder: only files of
#     that folder may include it.
#
# Usage: tools/check-layers.sh [CORE_DIR]   (default: core beside tools/)
# Prints "file: includes header (why)" for each violation; exits 1 if any.
LAYERS="base env input plan measure exec output cmd"
core=${1:-$(dirname "$0")/../core}

# The rank of a layer (1 = base), or 0 when it is not one.
rank() {
	i=1
	for l in $LAYERS; do
		[ "$l" = "$1" ] && { echo $i; return; }
		i=$((i + 1))
	done
	echo 0
}

bad=0
for layer in $LAYERS; do
	[ -d "$core/$layer" ] || { echo "$core/$layer: missing layer folder"; bad=1; continue; }
	mine=$(rank "$layer")
	for f in "$core/$layer"/*.c "$core/$layer"/*.h; do
		[ -f "$f" ] || continue
		# Every quoted include, one per line.
		for inc in $(sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/p' "$f"); do
			dir=${inc%%/*}
			if [ "$inc" = "parlab/plugin.h" ]; then
				continue
			fi
			if [ "$dir" = "$inc" ]; then
				echo "$f: includes \"$inc\" (name its folder, e.g. \"$layer/$inc\")"
				bad=1
				continue
			fi
			theirs=$(rank "$dir")
			if [ "$theirs" -eq 0 ]; then
				echo "$f: includes \"$inc\" (not a layer of core/)"
				bad=1
			elif [ "$theirs" -gt "$mine" ]; then
				echo "$f: includes \"$inc\" ($dir is above $layer)"
				bad=1
			fi
			case $inc in
			*_internal.h)
				if [ "$dir" != "$layer" ]; then
					echo "$f: includes \"$inc\" (private to $dir/)"
					bad=1
				fi ;;
			esac
		done
	done
done
# No source may sit at core/'s top level or in a folder that is no layer.
for f in "$core"/*.c "$core"/*.h "$core"/*/*.c "$core"/*/*.h; do
	[ -f "$f" ] || continue
	d=$(basename "$(dirname "$f")")
	if [ "$(rank "$d")" -eq 0 ]; then
		echo "$f: outside every layer folder"
		bad=1
	fi
done
exit $bad
