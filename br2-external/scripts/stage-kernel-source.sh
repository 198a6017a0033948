#!/bin/sh
# Put Debian's linux-source-6.12 tarball into BR2_DL_DIR under the name
# Buildroot's linux package downloads for the same version, so that the
# kernel needs no download. The defconfigs pin the version; if Debian has
# moved on, say so rather than build another kernel than the one configured.
# Usage: stage-kernel-source.sh DL_DIR
set -eu

dl=${1:?dl dir}
want=6.12.117
src=/usr/src/linux-source-6.12.tar.xz
dest=$dl/linux/linux-$want.tar.xz

[ -f "$dest" ] && exit 0
have=$(dpkg-query -W -f='${Version}' linux-source-6.12 2>/dev/null | cut -d- -f1)
if [ ! -f "$src" ] || [ "$have" != "$want" ]; then
	echo "*** Linux $want source needed: put linux-$want.tar.xz (kernel.org or" \
		"Debian's linux-source-6.12 $want) at $dest." >&2
	echo "*** Installed linux-source-6.12: '${have:-none}'." >&2
	exit 1
fi
mkdir -p "$dl/linux"
cp "$src" "$dest.part"
mv "$dest.part" "$dest"
echo "dl: $dest (Debian linux-source-6.12 $have)"
