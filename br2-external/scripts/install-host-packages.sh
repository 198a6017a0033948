#!/bin/sh
# Install the Debian packages the build host needs: kernel Rust toolchain
# (rustc-web + rust-web-src, libclang for bindgen; clang-22 and llvm-22, of
# rustc's LLVM version, for the module's inlined helpers), the cross GCCs
# used as Buildroot external toolchains, QEMU, and Buildroot's own host
# requirements.
# Idempotent: packages already installed are left alone.
set -eu

if ! command -v apt-get >/dev/null 2>&1; then
	echo "install-host-packages: not a Debian/Ubuntu host; install the" \
		"equivalents of the packages listed in $0 by hand." >&2
	exit 1
fi

# shellcheck source=/dev/null # the host's own file
. /etc/os-release
codename=${VERSION_CODENAME:-bookworm}

sudo=
if [ "$(id -u)" -ne 0 ]; then
	sudo=sudo
fi

# QEMU >= 10 comes from backports on bookworm (bookworm's 7.2 conflicts with
# the newer qemu-utils some hosts already have); deb-src lines let
# fill-dl-dir.sh fetch upstream source tarballs from the Debian archive.
list=/etc/apt/sources.list.d/rustprocfile.sources
if [ "$codename" = bookworm ] && [ ! -f "$list" ]; then
	$sudo tee "$list" >/dev/null <<SOURCES
Types: deb
URIs: http://deb.debian.org/debian
Suites: bookworm-backports
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm bookworm-updates bookworm-backports trixie
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb-src
URIs: http://deb.debian.org/debian-security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SOURCES
fi

packages="
	bc bison bzip2 cpio dpkg-dev file flex g++ gcc gzip libelf-dev
	libssl-dev make patch perl python3 rsync unzip wget xz-utils
	linux-source-6.12 rustc-web rust-web-src cargo-web libclang-19-dev clang-19
	clang-22 llvm-22
	gcc-aarch64-linux-gnu libc6-dev-arm64-cross
	libc6-dev-amd64-cross libgcc-s1-amd64-cross shellcheck fakeroot
	autoconf automake libtool python3-magic python3-flake8 python3-matplotlib
	libglib2.0-dev pkg-config
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

missing=
for p in $packages $qemu_packages; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed'; then
		missing="$missing $p"
	fi
done
[ -z "$missing" ] && exit 0

$sudo apt-get update
# shellcheck disable=SC2086 # word splitting of the package list is wanted
$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $packages
if [ "$codename" = bookworm ]; then
	# shellcheck disable=SC2086
	$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends -t bookworm-backports $qemu_packages
else
	# shellcheck disable=SC2086
	$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $qemu_packages
fi
