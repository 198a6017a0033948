#!/bin/sh
# Install bindgen-cli (which Debian bookworm only ships as 0.60, too old for
# Linux 6.12 with libclang 19) from crates.io into PREFIX/bin, built with the
# same Debian rustc the kernel uses so the result runs on this host.
# With RUSTPROCFILE_HOST_SETUP=n it installs nothing and fails if it is
# missing.
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
command="$cargo install --locked --force --root $prefix --version $version bindgen-cli"
if [ "${RUSTPROCFILE_HOST_SETUP:-y}" = n ]; then
	echo "host-setup: RUSTPROCFILE_HOST_SETUP=n, so nothing is changed;" \
		"bindgen $version is missing from $prefix/bin: RUSTC=/usr/bin/rustc $command" >&2
	exit 1
fi
echo "host-setup: install bindgen $version into $prefix/bin from crates.io:" \
	"RUSTC=/usr/bin/rustc $command"
# shellcheck disable=SC2086 # the command is a word list
RUSTC=${RUSTC:-/usr/bin/rustc} $command
"$prefix/bin/bindgen" --version
