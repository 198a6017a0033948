#!/bin/sh
# Decide where the build takes its sources from, and say why, on one line:
#   online  <why>: Buildroot downloads upstream releases (kernel.org for the
#                  kernel) and checks them against upstream hashes;
#   offline <why>: they come from the Debian archive (debian_sources.py).
# Usage: source-mode.sh y|n|auto   (RUSTPROCFILE_OFFLINE)
# auto is online when both kernel.org and Buildroot's source mirror answer,
# offline otherwise (if apt-get can reach a Debian archive).
set -eu

case ${1:-auto} in
y) echo "offline RUSTPROCFILE_OFFLINE=y"; exit 0 ;;
n) echo "online RUSTPROCFILE_OFFLINE=n"; exit 0 ;;
auto) ;;
*) echo "*** RUSTPROCFILE_OFFLINE must be y, n or empty (auto), not '$1'" >&2; exit 1 ;;
esac

unreachable=
for url in https://cdn.kernel.org/pub/linux/kernel/ https://sources.buildroot.net/; do
	if ! wget -q --spider --timeout=10 --tries=1 "$url" 2>/dev/null; then
		host=${url#https://}
		unreachable="$unreachable ${host%%/*}"
	fi
done
if [ -z "$unreachable" ]; then
	echo "online upstream download sites reachable (RUSTPROCFILE_OFFLINE=y to use the Debian archive)"
elif command -v apt-get >/dev/null 2>&1; then
	echo "offline unreachable:$unreachable (RUSTPROCFILE_OFFLINE=n to download anyway)"
else
	echo "online unreachable:$unreachable, and no apt-get for the Debian archive: downloads will fail"
fi
