#!/bin/sh
# Install the Debian packages the build host needs: kernel Rust toolchain
# (rustc-web + rust-web-src, rust-web-clippy for CLIPPY=1 builds, libclang
# for bindgen; clang-22 and llvm-22, of rustc's LLVM version, for the
# module's inlined helpers), the cross GCCs used as Buildroot external
# toolchains, QEMU with the UEFI firmware the disk images of board/efi
# boot with (ovmf, qemu-efi-aarch64), the host's mke2fs that ext4 root
# filesystems are made with offline (e2fsprogs), fdtput for the device
# tree the Raspberry Pi 4 image boots with in QEMU (device-tree-compiler)
# and mcopy, which takes its kernel from the card (mtools),
# Buildroot's own host requirements
# and what prepares offline sources (autopoint for autoreconf of
# gettext-using packages); and the apt source lines that offline builds
# take sources through.
#
# Prints what it is about to change before changing it. With
# RUSTPROCFILE_HOST_SETUP=n it changes nothing: it lists what is missing
# and fails if anything is.
# Idempotent: what is already there is left alone.
set -eu

setup=${RUSTPROCFILE_HOST_SETUP:-y}
say() { echo "host-setup: $*"; }

if ! command -v apt-get >/dev/null 2>&1; then
	echo "host-setup: not a Debian/Ubuntu host; install the equivalents of" \
		"the packages listed in $0 yourself, then run make with" \
		"RUSTPROCFILE_HOST_SETUP=n." >&2
	[ "$setup" = n ] && exit 0
	exit 1
fi

# shellcheck source=/dev/null # the host's own file
. /etc/os-release
codename=${VERSION_CODENAME:-}

sudo=
if [ "$(id -u)" -ne 0 ]; then
	sudo=sudo
fi

# Binary packages stay on the host's own release (plus bookworm-backports
# for QEMU >= 10: bookworm's 7.2 conflicts with the newer qemu-utils some
# hosts have). The release's non-free-firmware component is added for one
# package that is downloaded, never installed: the Raspberry Pi boot
# firmware (raspi-firmware), which Debian serves only as a .deb. Source lines are only read by apt-get source: they add the
# suites whose orig tarballs offline builds use (the 6.12 and 6.18 kernels
# are in trixie, trixie-security and trixie-backports) and change nothing
# that is installed.
list=/etc/apt/sources.list.d/rustprocfile.sources
keyring=/usr/share/keyrings/debian-archive-keyring.gpg
want_list=
if [ "${ID:-}" = debian ] && [ -f "$keyring" ]; then
	# trixie's suites are listed below in any case; bookworm's are added on
	# bookworm (other releases have no such suites, or not all of them).
	host_suites=
	host_security=
	if [ "$codename" = bookworm ]; then
		host_suites="bookworm bookworm-updates bookworm-backports "
		host_security="bookworm-security "
	fi
	want_list=$(
		if [ "$codename" = bookworm ]; then
			printf 'Types: deb\nURIs: http://deb.debian.org/debian\n'
			printf 'Suites: bookworm-backports\nComponents: main\nSigned-By: %s\n\n' "$keyring"
		fi
		if [ -n "$codename" ]; then
			printf 'Types: deb\nURIs: http://deb.debian.org/debian\n'
			printf 'Suites: %s\nComponents: non-free-firmware\nSigned-By: %s\n\n' \
				"$codename" "$keyring"
		fi
		printf 'Types: deb-src\nURIs: http://deb.debian.org/debian\n'
		printf 'Suites: %strixie trixie-updates trixie-backports\n' "$host_suites"
		printf 'Components: main\nSigned-By: %s\n\n' "$keyring"
		printf 'Types: deb-src\nURIs: http://deb.debian.org/debian-security\n'
		printf 'Suites: %strixie-security\n' "$host_security"
		printf 'Components: main\nSigned-By: %s\n' "$keyring"
	)
fi
list_changes=
if [ -n "$want_list" ] && [ "$(cat "$list" 2>/dev/null)" != "$want_list" ]; then
	list_changes=y
fi

packages="
	bc bison bzip2 cpio dpkg-dev file flex g++ gcc gzip libelf-dev
	libssl-dev make patch perl python3 rsync unzip wget xz-utils
	rustc-web rust-web-src cargo-web rust-web-clippy libclang-19-dev clang-19
	clang-22 llvm-22
	gcc-aarch64-linux-gnu libc6-dev-arm64-cross
	libc6-dev-amd64-cross libgcc-s1-amd64-cross shellcheck fakeroot
	autoconf automake autopoint libtool python3-magic python3-flake8
	python3-matplotlib libglib2.0-dev pkg-config
	ovmf qemu-efi-aarch64 e2fsprogs device-tree-compiler mtools
"
# On an amd64 host the native gcc-12 provides x86_64-linux-gnu-gcc-12, which
# make-x86_64-toolchain.sh turns into a cross toolchain; elsewhere Debian has
# a real x86_64 cross compiler package.
if [ "$(dpkg --print-architecture)" = amd64 ]; then
	packages="$packages gcc-12"
else
	packages="$packages gcc-x86-64-linux-gnu"
fi
qemu_packages="qemu-system-x86 qemu-system-arm"
qemu_target=
[ "$codename" = bookworm ] && qemu_target="-t bookworm-backports"

missing() {
	for p in "$@"; do
		if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed'; then
			printf ' %s' "$p"
		fi
	done
}
# shellcheck disable=SC2086 # word splitting of the package lists is wanted
missing_packages=$(missing $packages)
# shellcheck disable=SC2086
missing_qemu=$(missing $qemu_packages)

[ -z "$list_changes$missing_packages$missing_qemu" ] && exit 0

install="apt-get install -y --no-install-recommends"
if [ "$setup" = n ]; then
	echo "host-setup: RUSTPROCFILE_HOST_SETUP=n, so nothing is changed; this host lacks:" >&2
	if [ -n "$list_changes" ]; then
		echo "  $list, with this content (then apt-get update):" >&2
		printf '%s\n' "$want_list" | sed 's/^/    /' >&2
	fi
	[ -n "$missing_packages" ] && echo "  $install$missing_packages" >&2
	[ -n "$missing_qemu" ] && echo "  $install $qemu_target$missing_qemu" >&2
	[ -n "$missing_packages$missing_qemu" ] && exit 1
	# Only the source lines differ: online builds and installed indexes
	# may still do; debian_sources.py says what it cannot find.
	exit 0
fi

say "this host is changed as follows (RUSTPROCFILE_HOST_SETUP=n: don't)"
if [ -n "$list_changes" ]; then
	say "write $list:"
	printf '%s\n' "$want_list" | sed 's/^/    /'
fi
say "${sudo:+sudo }apt-get update"
[ -n "$missing_packages" ] && say "${sudo:+sudo }$install$missing_packages"
[ -n "$missing_qemu" ] && say "${sudo:+sudo }$install $qemu_target$missing_qemu"

if [ -n "$list_changes" ]; then
	printf '%s\n' "$want_list" | $sudo tee "$list" >/dev/null
fi
$sudo apt-get update
if [ -n "$missing_packages" ]; then
	# shellcheck disable=SC2086
	$sudo env DEBIAN_FRONTEND=noninteractive $install $missing_packages
fi
if [ -n "$missing_qemu" ]; then
	# shellcheck disable=SC2086
	$sudo env DEBIAN_FRONTEND=noninteractive $install $qemu_target $missing_qemu
fi
