#!/bin/sh
# Put Debian's linux-source-6.12 tarball into BR2_DL_DIR under the name
# Buildroot's linux package downloads for the same version, so that the
# kernel needs no download. The defconfigs pin the version; if Debian has
# moved on, say so rather than build another kernel than the one configured.
# Buildroot then checks the tarball against board/common/patches/linux/
# linux.hash (Debian's tarball carries Debian's changes, so kernel.org's
# linux-6.12.117.tar.xz has another hash and is refused).
# Usage: stage-kernel-source.sh DL_DIR
set -eu

dl=${1:?dl dir}
want=6.12.117
src=/usr/src/linux-source-6.12.tar.xz
dest=$dl/linux/linux-$want.tar.xz

[ -f "$dest" ] && exit 0
have=$(dpkg-query -W -f='${Version}' linux-source-6.12 2>/dev/null | cut -d- -f1)
if [ ! -f "$src" ] || [ "$have" != "$want" ]; then
	echo "*** Linux $want source needed: install Debian's linux-source-6.12" \
		"$want (make host-setup), or copy its /usr/src/linux-source-6.12.tar.xz" \
		"to $dest." >&2
	echo "*** Installed linux-source-6.12: '${have:-none}'." >&2
	exit 1
fi
mkdir -p "$dl/linux"
cp "$src" "$dest.part"
mv "$dest.part" "$dest"
echo "dl: $dest (Debian linux-source-6.12 $have)"
