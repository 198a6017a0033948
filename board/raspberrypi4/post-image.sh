#!/bin/sh
# Buildroot post-image script of the Raspberry Pi 4 image: make
# images/sdcard.img with genimage (genimage.cfg next to this script), and
# write images/start-qemu.sh, which boots that card on QEMU's raspi4b.
# Called as: post-image.sh BINARIES_DIR; Buildroot runs it in its own top
# directory.
set -eu

images=${1:?binaries dir}
board=$(cd "$(dirname "$0")" && pwd)

support/scripts/genimage.sh -c "$board/genimage.cfg"

cp "$board/start-qemu.sh" "$images/start-qemu.sh"
chmod +x "$images/start-qemu.sh"
echo "post-image.sh: wrote $images/start-qemu.sh"
