#!/bin/sh
# Print the QEMU accelerator to boot an image with: "kvm" only where a short
# probe boot of this very image reaches the kernel, "tcg" otherwise. On some
# hosts /dev/kvm opens but guests hang at "Booting from ROM", so a readable
# /dev/kvm is not enough.
# Usage: pick-accel.sh IMAGES_DIR   (the directory with start-qemu.sh)
set -u

images=${1:?usage: pick-accel.sh IMAGES_DIR}
guest=$("$(dirname "$0")/guest-arch.sh" "$images" 2>/dev/null) || guest=unknown
if [ "$guest" != "$(uname -m)" ] || [ ! -w /dev/kvm ]; then
	echo tcg
	exit 0
fi
probe=$(mktemp)
QEMU_ACCEL=kvm timeout 20 "$images/start-qemu.sh" </dev/null >"$probe" 2>&1
if grep -q "Linux version" "$probe"; then
	echo kvm
else
	echo tcg
fi
rm -f "$probe"
