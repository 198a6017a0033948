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
	accel=$("$here/pick-accel.sh" "$images")
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
	# A kernel built with its Rust doctests must show that those of the
	# patched files ran (KUnit, at boot), not just that none failed.
	require=
	if grep -qs '^CONFIG_RUST_KERNEL_DOCTESTS=y' "$(dirname "$images")"/build/linux-*/.config; then
		require="--require rust_doctest_kernel_proc_fs_rs_
			--require rust_doctest_kernel_module_param_rs_"
	fi
	# The kernel release that booted, as the kernel itself reports it.
	echo "# $name: $(grep -m 1 -o 'Linux version [^ ]*' "$console" || echo 'no Linux version line')"
	# $require is a list of options without spaces: split on purpose.
	# shellcheck disable=SC2086
	verdict=$("$here/check-console.py" $require "$console")
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
