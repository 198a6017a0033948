#!/bin/sh
# Boot an image headless with the benchmark enabled, several times, and
# collect the results.
#
# Usage: bench.sh [-b BOOTS] [-r REPS] [-o OUTDIR] [-t TIMEOUT] IMAGES_DIR
#        bench.sh [-b BOOTS] [-r REPS] [-o OUTDIR] [-t TIMEOUT] -a ARCH -k KERNEL -i INITRD
#
# IMAGES_DIR is a Buildroot images/ directory with start-qemu.sh whose init
# runs rustprocfile-bench-run (it reads rustprocfile_bench=ACCEL from the
# kernel command line). The second form boots any kernel and initramfs that
# do the same (ARCH: x86_64 or aarch64). Each boot N (1 to BOOTS, default
# 16; REPS repetitions each, default 2) writes OUTDIR/bench-ARCH-bootN.csv,
# -bootN-summary.txt and -bootN-console.log (OUTDIR defaults to the
# current directory).
#
# Several boots, because under TCG where things land (the pages of each
# file, QEMU's translated code) changes the speed of the same code by more
# than the differences measured: the benchmark kernel has KASLR
# (board/common/linux-bench.fragment), so each boot puts the kernel and
# the modules at other addresses; the guest alternates the order of the
# files with the boot number (rustprocfile-bench-run; the file filled
# first gets the first pages); and test/bench-report.py pools the
# repetitions of all boots, and shows each boot's module addresses (the
# 'placement:' line of its summary) with its ratios. Many boots with few
# repetitions measure the code; few boots with many, their layouts.
# Within a boot the files are interleaved, so a busy host slows them
# alike.
#
# The first form boots with KVM where test/pick-accel.sh finds that it
# works and with TCG elsewhere; the second always uses TCG. The
# accelerator labels every row: under TCG only ratios mean anything.
set -u

boots=16
reps=2
outdir=.
timeout=1800
arch=
kernel=
initrd=
usage() {
	sed -n '5,6p' "$0" >&2
	exit 2
}
while getopts b:r:o:t:a:k:i: opt; do
	case $opt in
	b) boots=$OPTARG ;;
	r) reps=$OPTARG ;;
	o) outdir=$OPTARG ;;
	t) timeout=$OPTARG ;;
	a) arch=$OPTARG ;;
	k) kernel=$OPTARG ;;
	i) initrd=$OPTARG ;;
	*) usage ;;
	esac
done
shift $((OPTIND - 1))
here=$(dirname "$0")

# shellcheck source=test/bench-target.sh
. "$here/bench-target.sh"
bench_target "$@"
append="rustprocfile_bench=$accel rustprocfile_bench_reps=$reps"
mkdir -p "$outdir" || exit 1
# Results of an earlier run with more boots would be pooled with these.
rm -f "$outdir/bench-$arch"-boot*.csv "$outdir/bench-$arch.csv"

# boot N: one boot; writes its console log, CSV and summary.
boot() {
	console=$outdir/bench-$arch-boot$1-console.log
	csv=$outdir/bench-$arch-boot$1.csv
	summary=$outdir/bench-$arch-boot$1-summary.txt
	if [ -n "$images" ]; then
		echo "# boot $1 of $boots: $images ($accel, $reps repetitions, timeout ${timeout}s)"
		QEMU_ACCEL=$accel \
			QEMU_APPEND="$append rustprocfile_bench_boot=$1 rustprocfile_test=poweroff" \
			timeout "$timeout" "$images/start-qemu.sh" </dev/null >"$console" 2>&1
	else
		echo "# boot $1 of $boots: $kernel (tcg, $reps repetitions, timeout ${timeout}s)"
		# $machine is a list of options: split on purpose.
		# shellcheck disable=SC2086
		timeout "$timeout" "$qemu" $machine -accel tcg -smp 1 -m 256 \
			-kernel "$kernel" -initrd "$initrd" \
			-append "console=$tty $append rustprocfile_bench_boot=$1" \
			-nic none -nographic \
			</dev/null >"$console" 2>&1
	fi
	status=$?
	console_section "$console" 'rustprocfile-bench: csv begin' \
		'rustprocfile-bench: csv end$' >"$csv"
	console_section "$console" 'rustprocfile-bench: summary begin' \
		'rustprocfile-bench: summary end' >"$summary"
	if [ "$status" -ne 0 ] || [ ! -s "$csv" ]; then
		echo "bench.sh: no results (qemu status $status); see $console" >&2
		tail -n 20 "$console" >&2
		return 1
	fi
	echo "# $(($(wc -l <"$csv") - 1)) rows in $csv"
	# The same console checks as a test boot: every KTAP report complete
	# and passed (the self-test, and the C twin's conformance run), no
	# splat.
	verdict=$("$here/check-console.py" "$console")
	check=$?
	echo "$verdict" | sed 's/^/# /'
	if [ "$check" -ne 0 ]; then
		echo "bench.sh: console check failed; see $console" >&2
		return 1
	fi
}

n=1
while [ "$n" -le "$boots" ]; do
	boot "$n" || exit 1
	n=$((n + 1))
done
