#!/bin/sh
# Boot every built image headless and check its console: the KTAP report of
# the boot self-test, a clean power-off, no kernel splat, and a kernel of
# the series its configuration chose (BR2_RUSTPROCFILE_LINUX_SERIES).
# Usage: boot-tests.sh OUTPUT_ROOT [CONFIG...]
# (CONFIG: these output directories, each of which must have an image;
# default: every one that has)
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

if [ $# -eq 0 ]; then
	for images in "$output_root"/*/images; do
		[ -x "$images/start-qemu.sh" ] || continue
		set -- "$@" "$(basename "$(dirname "$images")")"
	done
fi

passed=0
failed=0
n=0
for name in "$@"; do
	dir=$output_root/$name
	images=$dir/images
	n=$((n + 1))
	if [ ! -x "$images/start-qemu.sh" ]; then
		failed=$((failed + 1))
		echo "not ok $n - $name: no image built in $images"
		continue
	fi
	logdir=$dir/test
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
	if grep -qs '^CONFIG_RUST_KERNEL_DOCTESTS=y' "$dir"/build/linux-*/.config; then
		require="--require rust_doctest_kernel_proc_fs_rs_
			--require rust_doctest_kernel_module_param_rs_"
	fi
	# The kernel release that booted, as the kernel itself reports it, must
	# be of the configured series (offline builds may take a newer release
	# of it than the configured one).
	release=$(sed -n 's/^.*Linux version \([^ ]*\).*$/\1/p' "$console" | head -n 1)
	series=$(sed -n 's/^BR2_RUSTPROCFILE_LINUX_SERIES="\(.*\)"$/\1/p' "$dir/.config")
	configured=$(sed -n 's/^BR2_LINUX_KERNEL_VERSION="\(.*\)"$/\1/p' "$dir/.config")
	echo "# $name: Linux version ${release:-(no Linux version line)}" \
		"(configured: ${configured:-?}, series ${series:-?})"
	if [ -z "$series" ]; then
		reasons="${reasons:+$reasons; }no BR2_RUSTPROCFILE_LINUX_SERIES in $dir/.config"
	elif [ -z "$release" ]; then
		reasons="${reasons:+$reasons; }no Linux version line on the console"
	else
		case $release in
		"$series" | "$series".* | "$series"-* | "$series"+*) ;;
		*) reasons="${reasons:+$reasons; }booted Linux $release, not a $series release" ;;
		esac
	fi
	# $require is a list of options without spaces: split on purpose.
	# shellcheck disable=SC2086
	verdict=$("$here/check-console.py" $require "$console")
	check=$?
	echo "$verdict" | sed 's/^/# /'
	[ "$check" -eq 0 ] || reasons="${reasons:+$reasons; }console check failed"
	if [ -z "$reasons" ]; then
		passed=$((passed + 1))
		echo "ok $n - $name boots Linux $release and passes its self-test (${seconds}s, $accel)"
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
