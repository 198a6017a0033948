#!/bin/sh
# Build the insn-window QEMU plugin for the installed QEMU and print the
# path of the .so. Debian ships QEMU with plugin support but not the
# plugin header: it comes from the orig tarball of the same QEMU version
# in the Debian archive, kept in CACHE_DIR/qemu-plugin/VERSION/.
# Usage: build-plugin.sh CACHE_DIR
set -eu

cache=${1:?usage: build-plugin.sh CACHE_DIR}
here=$(cd "$(dirname "$0")" && pwd)
scripts=$here/../../br2-external/scripts
version=$(dpkg-query -W -f='${source:Version}' qemu-system-x86)
# No ':' or '~' in the path: it goes into QEMU's -plugin option.
dir=$cache/qemu-plugin/$(echo "$version" | tr ':~' '__')
so=$dir/insn-window.so

mkdir -p "$dir"
if [ ! -f "$dir/qemu-plugin.h" ]; then
	work=$(mktemp -d)
	trap 'rm -rf "$work"' EXIT
	orig=$(/usr/bin/python3 "$scripts/debian_sources.py" fetch "qemu=$version" "$work")
	tar -xJf "$orig" -C "$work" --wildcards '*/include/qemu/qemu-plugin.h'
	cp "$work"/*/include/qemu/qemu-plugin.h "$dir/qemu-plugin.h"
fi
# Always rebuilt: it takes a second. The callbacks' signatures are QEMU's,
# so unused parameters are normal.
# shellcheck disable=SC2046 # pkg-config prints several options
gcc -O2 -Wall -Wextra -Wno-unused-parameter -Werror -fPIC -shared \
	-I "$dir" $(pkg-config --cflags glib-2.0) \
	-o "$so" "$here/insn-window.c" >&2
echo "$so"
