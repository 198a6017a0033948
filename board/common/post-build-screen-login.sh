#!/bin/sh
# Buildroot post-build script of the images for hardware (board/efi,
# board/raspberrypi4): a login on the screen (tty1) besides the one on the
# serial console, for a machine with a display and a keyboard and no
# serial cable.
# Called as: post-build-screen-login.sh TARGET_DIR [ARGS...]
set -eu

inittab=${1:?target dir}/etc/inittab
grep -q '^tty1::' "$inittab" ||
	echo 'tty1::respawn:/sbin/getty 38400 tty1' >>"$inittab"
