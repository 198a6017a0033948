# shellcheck shell=sh
# shellcheck disable=SC2034,SC2154 # sets and reads the variables of the script that sources it
# Sourced by test/bench.sh and test/bench-parallel.sh, which boot the same
# two kinds of guest and read their results off its console the same way.
#
# bench_target [IMAGES_DIR]: with IMAGES_DIR (a Buildroot images/
# directory with start-qemu.sh), sets images, arch (from the script) and
# accel (KVM where test/pick-accel.sh finds that it works, TCG
# elsewhere); with no argument, the caller's $kernel and $initrd files
# and $arch (x86_64 or aarch64) are booted with TCG, and qemu, machine and
# tty are set for that architecture. Anything else calls the caller's
# usage. $here is the directory of the test scripts.
bench_target() {
	images=
	accel=tcg
	if [ $# -eq 1 ]; then
		images=$1
		[ -x "$images/start-qemu.sh" ] || usage
		arch=$("$here/guest-arch.sh" "$images") || exit 1
		accel=$("$here/pick-accel.sh" "$images")
	elif [ $# -eq 0 ] && [ -f "$kernel" ] && [ -f "$initrd" ]; then
		case $arch in
		aarch64)
			qemu="qemu-system-aarch64"
			machine="-M virt -cpu cortex-a57"
			tty=ttyAMA0
			;;
		x86_64)
			qemu="qemu-system-x86_64"
			machine="-M pc"
			tty=ttyS0
			;;
		*) usage ;;
		esac
	else
		usage
	fi
}

# console_section CONSOLE BEGIN END: the lines of the console log CONSOLE
# between the line BEGIN and the first line that starts with the pattern
# END (a sed regex; the guest may append a status), both left out.
console_section() {
	tr -d '\r' <"$1" | sed -n "/^$2\$/,/^$3/p" | sed '1d;$d'
}
