#!/bin/sh
# Build an x86_64 cross-toolchain prefix out of the host's native GCC 12 and
# Debian's libc6-dev-amd64-cross sysroot, for use as a Buildroot external
# toolchain on amd64 hosts (Debian ships no x86_64 cross GCC for them).
#
# The native GCC finds its C library through its own multiarch directories,
# so Buildroot would take / as the sysroot. GCC locates everything relative to
# the real path of its binary, so a copy of the driver in a prefix laid out as
# below makes those relative lookups land in /usr/x86_64-linux-gnu instead.
# Usage: make-x86_64-toolchain.sh PREFIX
set -eu

prefix=${1:?usage: make-x86_64-toolchain.sh PREFIX}
triple=x86_64-linux-gnu
gccver=12
sysroot=/usr/$triple
stamp=$prefix/.rustprocfile-toolchain-v2

[ -f "$stamp" ] && exit 0

for f in "/usr/bin/$triple-gcc-$gccver" "$sysroot/lib/libc.a" "/usr/lib/gcc/$triple/$gccver/cc1"; do
	if [ ! -e "$f" ]; then
		echo "*** $f missing: run 'make host-setup' (gcc-$gccver, libc6-dev-amd64-cross)" >&2
		exit 1
	fi
done

rm -rf "$prefix"
mkdir -p "$prefix/bin" "$prefix/lib/gcc/$triple/$gccver"

# A copy, not a link: GCC resolves links to find its own prefix.
cp "/usr/bin/$triple-gcc-$gccver" "$prefix/bin/$triple-gcc"
for tool in gcc-ar gcc-nm gcc-ranlib cpp; do
	ln -s "/usr/bin/$triple-$tool-$gccver" "$prefix/bin/$triple-$tool"
done
for tool in as ld ld.bfd ar nm objcopy objdump ranlib readelf strip size \
	strings addr2line c++filt elfedit gprof; do
	ln -s "/usr/bin/$triple-$tool" "$prefix/bin/$triple-$tool"
done

# GCC's private files (cc1, crt*.o, libgcc, its headers) one by one, so that
# the directory itself stays inside the prefix. OpenMP is left out: its
# runtime (libgomp) is the host's and not in the cross sysroot, so
# -fopenmp must fail rather than link against host libraries.
for entry in "/usr/lib/gcc/$triple/$gccver"/*; do
	case ${entry##*/} in
	libgomp*) continue ;;
	esac
	ln -s "$entry" "$prefix/lib/gcc/$triple/$gccver/"
done
# ../../../$triple seen from lib/gcc/<triple>/<ver> is lib/$triple: the
# cross sysroot's libraries.
ln -s "$sysroot/lib" "$prefix/lib/$triple"

touch "$stamp"
"$prefix/bin/$triple-gcc" -print-file-name=libc.a
