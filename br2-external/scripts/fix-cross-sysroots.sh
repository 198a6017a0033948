#!/bin/sh
# Buildroot expects an external toolchain's sysroot to have usr/include and
# usr/lib; Debian's cross sysroots (/usr/<triple>) keep them at the top. A
# 'usr -> .' link inside each gives Buildroot the layout it looks for.
set -eu
for sysroot in /usr/aarch64-linux-gnu /usr/x86_64-linux-gnu; do
	[ -d "$sysroot" ] || continue
	[ -e "$sysroot/usr" ] && continue
	if [ "$(id -u)" -eq 0 ]; then
		ln -s . "$sysroot/usr"
	else
		sudo ln -s . "$sysroot/usr"
	fi
done
