#!/bin/sh
# Install bindgen-cli (which Debian bookworm only ships as 0.60, too old for
# Linux 6.12 with libclang 19) from crates.io into PREFIX/bin, built with the
# same Debian rustc the kernel uses so the result runs on this host.
# Usage: install-bindgen.sh PREFIX
set -eu

version=0.71.1
prefix=${1:?usage: install-bindgen.sh PREFIX}

if [ -x "$prefix/bin/bindgen" ] &&
	"$prefix/bin/bindgen" --version 2>/dev/null | grep -qx "bindgen $version"; then
	exit 0
fi

cargo=/usr/bin/cargo
[ -x "$cargo" ] || cargo=cargo
RUSTC=${RUSTC:-/usr/bin/rustc} "$cargo" install --locked --force \
	--root "$prefix" --version "$version" bindgen-cli
"$prefix/bin/bindgen" --version
