#!/bin/sh
# Print the guest architecture of a built image (aarch64 or x86_64), read
# from the QEMU binary its start-qemu.sh runs; exit 1 for anything else.
# Usage: guest-arch.sh IMAGES_DIR   (the directory with start-qemu.sh)
set -u

images=${1:?usage: guest-arch.sh IMAGES_DIR}
case $(cat "$images/start-qemu.sh") in
*qemu-system-aarch64*) echo aarch64 ;;
*qemu-system-x86_64*) echo x86_64 ;;
*)
	echo "guest-arch.sh: unknown guest in $images/start-qemu.sh" >&2
	exit 1
	;;
esac
