#!/bin/sh
# Boot every built image headless and check its console: the KTAP report of
# the boot self-test, a clean power-off, no kernel splat.
# Usage: boot-tests.sh OUTPUT_ROOT [CONFIG...]
# (CONFIG: only these output directories; default: all)
#
# Prints TAP, one test per image, and a "N passed, N failed" line; exits 1
# if an image failed or none was built.
set -u

output_root=${1:?usage: boot-tests.sh OUTPUT_ROOT [CONFIG...]}
shift
here=$(cd "$(dirname "$0")" && pwd)
# TCG boots these images in seconds; allow for a loaded host.
boot_timeout=${BOOT_TIMEOUT:-400}
# Length of the concurrent load in images that have rustprocfile-stress.
stress_secs=${STRESS_SECS:-10}

# KVM only where a short probe boot of this very image reaches the kernel:
# on some hosts /dev/kvm opens but guests hang at "Booting from ROM".
pick_accel() {
	images=$1
	guest=$2
	[ "$guest" = "$(uname -m)" ] || { echo tcg; return; }
	[ -w /dev/kvm ] || { echo tcg; return; }
	probe=$(mktemp)
	QEMU_ACCEL=kvm timeout 20 "$images/start-qemu.sh" </dev/null >"$probe" 2>&1
	if grep -q "Linux version" "$probe"; then
		echo kvm
	else
		echo tcg
	fi
	rm -f "$probe"
}

guest_arch() {
	case $(cat "$1/start-qemu.sh") in
	*qemu-system-aarch64*) echo aarch64 ;;
	*qemu-system-x86_64*) echo x86_64 ;;
	*) echo unknown ;;
	esac
}

passed=0
failed=0
n=0
for images in "$output_root"/*/images; do
	[ -x "$images/start-qemu.sh" ] || continue
	name=$(basename "$(dirname "$images")")
	if [ $# -gt 0 ]; then
		case " $* " in
		*" $name "*) ;;
		*) continue ;;
		esac
	fi
	n=$((n + 1))
	logdir=$(dirname "$images")/test
	mkdir -p "$logdir"
	console=$logdir/console.log
	accel=$(pick_accel "$images" "$(guest_arch "$images")")
	echo "# $name: booting with $accel, timeout ${boot_timeout}s, log $console"
	start=$(date +%s)
	QEMU_ACCEL=$accel \
		QEMU_APPEND="rustprocfile_test=poweroff rustprocfile_stress=$stress_secs" \
		timeout "$boot_timeout" "$images/start-qemu.sh" </dev/null >"$console" 2>&1
	status=$?
	seconds=$(($(date +%s) - start))
	reasons=
	if [ "$status" -eq 124 ]; then
		reasons="timeout after ${boot_timeout}s"
	elif [ "$status" -ne 0 ]; then
		reasons="qemu exit status $status"
	fi
	if ! grep -q "rustprocfile: self-test done, powering off" "$console"; then
		reasons="${reasons:+$reasons; }self-test did not finish"
	fi
	verdict=$("$here/check-console.py" "$console")
	check=$?
	echo "$verdict" | sed 's/^/# /'
	[ "$check" -eq 0 ] || reasons="${reasons:+$reasons; }console check failed"
	if [ -z "$reasons" ]; then
		passed=$((passed + 1))
		echo "ok $n - $name boots and passes its self-test (${seconds}s, $accel)"
	else
		failed=$((failed + 1))
		echo "not ok $n - $name: $reasons"
		tail -n 40 "$console" | sed 's/^/#   /'
	fi
done

if [ "$n" -eq 0 ]; then
	echo "not ok 1 - no image built under $output_root (run make <defconfig> && make)"
	failed=1
fi
echo "1..$((n > 0 ? n : 1))"
echo "boot: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
