#!/bin/sh
# Make sure the pinned Buildroot release is unpacked in the cache.
# Usage: get-buildroot.sh CACHE_DIR VERSION TAR_SHA256
#
# Looks, in order, for an unpacked tree, the release tarball in the cache,
# and the official download; stops with what to provide when none works.
set -eu

cache=${1:?cache dir}
version=${2:?version}
sha256=${3:?sha256}
tree=$cache/buildroot-$version
tarball=$cache/buildroot-$version.tar

[ -f "$tree/.rustprocfile-unpacked" ] && exit 0
mkdir -p "$cache"

if [ ! -f "$tarball" ]; then
	for ext in tar.xz tar.gz; do
		url=https://buildroot.org/downloads/buildroot-$version.$ext
		tmp=$cache/.buildroot-$version.$ext.part
		if wget -q --timeout=20 --tries=1 -O "$tmp" "$url"; then
			# The official tarball's digest is published next to it.
			if wget -q --timeout=20 --tries=1 -O "$tmp.sign" "$url.sign" &&
				grep -q "$(sha256sum "$tmp" | cut -d' ' -f1)" "$tmp.sign"; then
				mkdir -p "$tree.part"
				tar -xf "$tmp" -C "$tree.part" --strip-components=1
				rm -f "$tmp" "$tmp.sign"
				touch "$tree.part/.rustprocfile-unpacked"
				mv "$tree.part" "$tree"
				exit 0
			fi
		fi
		rm -f "$tmp" "$tmp.sign"
	done
	cat >&2 <<MSG
*** Buildroot $version is not available.
*** It could not be downloaded, and $tarball does not exist.
*** Provide it from any clone or mirror of Buildroot's git repository:
***
***   git -C /path/to/buildroot.git archive --format=tar \\
***       --prefix=buildroot-$version/ -o $tarball $version
***
*** (expected sha256 $sha256), then run make again.
MSG
	exit 1
fi

actual=$(sha256sum "$tarball" | cut -d' ' -f1)
if [ "$actual" != "$sha256" ]; then
	echo "*** $tarball has sha256 $actual, expected $sha256." >&2
	echo "*** Remove it and provide the $version release as described above." >&2
	exit 1
fi

rm -rf "$tree.part"
mkdir -p "$tree.part"
tar -xf "$tarball" -C "$tree.part" --strip-components=1
touch "$tree.part/.rustprocfile-unpacked"
mv "$tree.part" "$tree"
