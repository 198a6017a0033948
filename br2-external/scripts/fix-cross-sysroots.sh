#!/bin/sh
# Buildroot expects an external toolchain's sysroot to have usr/include and
# usr/lib; Debian's cross sysroots (/usr/<triple>) keep them at the top. A
# 'usr -> .' link inside each gives Buildroot the layout it looks for.
# With RUSTPROCFILE_HOST_SETUP=n it creates nothing and fails if a link is
# missing.
set -eu
sudo=
[ "$(id -u)" -eq 0 ] || sudo=sudo
status=0
for sysroot in /usr/aarch64-linux-gnu /usr/x86_64-linux-gnu; do
	[ -d "$sysroot" ] || continue
	[ -e "$sysroot/usr" ] && continue
	if [ "${RUSTPROCFILE_HOST_SETUP:-y}" = n ]; then
		echo "host-setup: RUSTPROCFILE_HOST_SETUP=n, so nothing is changed;" \
			"$sysroot lacks the link Buildroot needs: ln -s . $sysroot/usr" >&2
		status=1
		continue
	fi
	echo "host-setup: ${sudo:+sudo }ln -s . $sysroot/usr (Buildroot looks for $sysroot/usr/include)"
	$sudo ln -s . "$sysroot/usr"
done
exit $status
