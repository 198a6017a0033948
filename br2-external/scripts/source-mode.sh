#!/bin/sh
# Where an output directory takes its sources from, decided once, when it
# is first configured, and recorded in OUTPUT_DIR/rustprocfile-sources.mk
# (read by br2-external/offline/override.mk), so that every later make,
# through this tree's Makefile or Buildroot's own, builds the same sources:
#   online:  Buildroot downloads upstream releases (kernel.org for the
#            kernel) and checks them against upstream hashes;
#   offline: they come from the Debian archive (debian_sources.py).
# Prints the verdict and why, on one line.
# Usage: source-mode.sh OUTPUT_DIR CACHE_DIR [y|n]   (RUSTPROCFILE_OFFLINE)
# Without y or n: online when both kernel.org and Buildroot's source
# mirror answer, offline otherwise (if apt-get can reach a Debian archive).
set -eu

out=${1:?usage: source-mode.sh OUTPUT_DIR CACHE_DIR [y|n]}
cache=${2:?usage: source-mode.sh OUTPUT_DIR CACHE_DIR [y|n]}
request=${3:-}
record=$out/rustprocfile-sources.mk

case $request in
y) want=offline ;;
n) want=online ;;
'') want= ;;
*) echo "*** RUSTPROCFILE_OFFLINE must be y, n or empty (decide), not '$request'" >&2; exit 1 ;;
esac

if [ -f "$record" ]; then
	mode=$(sed -n 's/^RUSTPROCFILE_SOURCES = //p' "$record")
	why=$(sed -n 's/^# why: //p' "$record")
	if [ -n "$want" ] && [ "$want" != "$mode" ]; then
		echo "*** $out was configured to build from $mode sources ($why);" \
			"RUSTPROCFILE_OFFLINE=$request asks for $want. Kernel and host" \
			"tools differ between the two: remove $out (or make clean-all)" \
			"and configure it again." >&2
		exit 1
	fi
	echo "sources: $mode ($why)"
	exit 0
fi

if [ -n "$want" ]; then
	mode=$want
	why="RUSTPROCFILE_OFFLINE=$request"
else
	unreachable=
	for url in https://cdn.kernel.org/pub/linux/kernel/ https://sources.buildroot.net/; do
		if ! wget -q --spider --timeout=10 --tries=2 "$url" 2>/dev/null; then
			host=${url#https://}
			unreachable="$unreachable ${host%%/*}"
		fi
	done
	if [ -z "$unreachable" ]; then
		mode=online
		why="upstream download sites reachable"
	elif command -v apt-get >/dev/null 2>&1; then
		mode=offline
		why="unreachable:$unreachable"
	else
		mode=online
		why="unreachable:$unreachable, and no apt-get for the Debian archive: downloads will fail"
	fi
fi
mkdir -p "$out"
cat >"$record" <<RECORD
# Sources of this output directory, decided by rustprocfile's
# br2-external/scripts/source-mode.sh when it was configured.
# why: $why
RUSTPROCFILE_SOURCES = $mode
RUSTPROCFILE_CACHE = $cache
RECORD
echo "sources: $mode ($why; recorded in $record)"
