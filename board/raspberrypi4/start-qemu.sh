#!/bin/sh
# Boot sdcard.img on QEMU's Raspberry Pi 4 (raspi4b, QEMU >= 9), with a
# serial console on stdio. Quit QEMU with Ctrl-a x. Copied to images/ by
# board/raspberrypi4/post-image.sh.
#
# QEMU cannot run the Pi's boot firmware (start4.elf runs on the GPU), so
# this does what the firmware would: it takes the kernel, the device tree
# and the command line from the card's boot partition and starts the
# kernel, which mounts the card's root partition. It changes a copy of
# the device tree, never the card, where raspi4b differs from the board:
#   - QEMU does not map the HDMI block at 0x7ef00000 (its clock, interrupt
#     controller, both HDMI controllers and their DDC buses): a driver's
#     first access takes a synchronous external abort. Disabled.
#   - QEMU attaches the SD card to the Arasan SDHCI (mmc@7e300000, on the
#     board the Wi-Fi chip's), not to EMMC2 (the board's SD slot), and
#     the Wi-Fi power sequence it waits for needs the firmware's GPIO
#     expander, which QEMU lacks. EMMC2 is disabled and the Arasan
#     controller's power sequence dropped.
#   - With the mainline 8250 driver, QEMU's mini UART (the board's GPIO
#     UART, ttyS1) keeps an interrupt raised and stalls CPU 0. It is
#     disabled; the console is the PL011 (ttyAMA0, QEMU's first serial
#     port), appended to the card's command line.
#
# Environment: QEMU_ACCEL (only tcg: QEMU's raspi machines have no KVM),
# QEMU_APPEND (more kernel command line, e.g. options for the boot
# self-test). Arguments go to QEMU as is. Needs mtools and fdtput
# (device-tree-compiler), which make host-setup installs.
set -eu
cd "$(dirname "$0")"

card=sdcard.img
dtb=bcm2711-rpi-4-b.dtb
for tool in mcopy fdtput; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		echo "start-qemu.sh: no $tool: install Debian's mtools and" \
			"device-tree-compiler (make host-setup does)" >&2
		exit 1
	fi
done

# The boot partition is the first of the card's MBR: its start sector is
# the little-endian word at byte 454 of the disk.
start=$(od -An -tu4 -j454 -N4 "$card" | tr -d ' ')

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mcopy -n -i "$card@@$((start * 512))" ::Image ::"$dtb" ::cmdline.txt "$work"/

disabled="/soc/clock@7ef00000 /soc/interrupt-controller@7ef00100
	/soc/hdmi@7ef00700 /soc/i2c@7ef04500 /soc/hdmi@7ef05700
	/soc/i2c@7ef09500 /emmc2bus/mmc@7e340000 /soc/serial@7e215040"
for node in $disabled; do
	fdtput -t s "$work/$dtb" "$node" status disabled
done
fdtput -d "$work/$dtb" /soc/mmc@7e300000 mmc-pwrseq

qemu-system-aarch64 -M raspi4b -accel "${QEMU_ACCEL:-tcg}" \
	-kernel "$work/Image" -dtb "$work/$dtb" \
	-append "$(cat "$work/cmdline.txt") console=ttyAMA0,115200 ${QEMU_APPEND:-}" \
	-drive if=sd,format=raw,file="$card" \
	-serial mon:stdio -serial null -nographic "$@"
