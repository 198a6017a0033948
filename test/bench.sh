#!/bin/sh
# Boot an image headless with the benchmark enabled and collect its results.
#
# Usage: bench.sh [-r REPS] [-o OUTDIR] [-t TIMEOUT] IMAGES_DIR
#        bench.sh [-r REPS] [-o OUTDIR] [-t TIMEOUT] -a ARCH -k KERNEL -i INITRD
#
# IMAGES_DIR is a Buildroot images/ directory with start-qemu.sh whose init
# runs rustprocfile-bench-run (it reads rustprocfile_bench=ACCEL from the
# kernel command line). The second form boots any kernel and initramfs that
# do the same (ARCH: x86_64 or aarch64). Writes OUTDIR/bench-ARCH.csv,
# OUTDIR/bench-ARCH-summary.txt and OUTDIR/bench-ARCH-console.log (OUTDIR
# defaults to the current directory). The first form boots with KVM where
# test/pick-accel.sh finds that it works and with TCG elsewhere; the second
# always uses TCG. The accelerator labels every row: under TCG only the
# ratios between files of one boot mean anything.
set -u

reps=5
outdir=.
timeout=1800
arch=
kernel=
initrd=
usage() {
	sed -n '4,5p' "$0" >&2
	exit 2
}
while getopts r:o:t:a:k:i: opt; do
	case $opt in
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

append="rustprocfile_bench=tcg rustprocfile_bench_reps=$reps"
mkdir -p "$outdir" || exit 1
if [ $# -eq 1 ]; then
	images=$1
	[ -x "$images/start-qemu.sh" ] || usage
	arch=$("$(dirname "$0")/guest-arch.sh" "$images") || exit 1
	# KVM where it works (the results are labelled with it), TCG elsewhere.
	accel=$("$(dirname "$0")/pick-accel.sh" "$images")
	append="rustprocfile_bench=$accel rustprocfile_bench_reps=$reps"
	console=$outdir/bench-$arch-console.log
	echo "# booting $images ($accel, $reps repetitions, timeout ${timeout}s)"
	QEMU_ACCEL=$accel QEMU_APPEND="$append rustprocfile_test=poweroff" \
		timeout "$timeout" "$images/start-qemu.sh" </dev/null >"$console" 2>&1
	status=$?
elif [ $# -eq 0 ] && [ -n "$arch" ] && [ -f "$kernel" ] && [ -f "$initrd" ]; then
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
	console=$outdir/bench-$arch-console.log
	echo "# booting $kernel (tcg, $reps repetitions, timeout ${timeout}s)"
	# $machine is a list of options: split on purpose.
	# shellcheck disable=SC2086
	timeout "$timeout" "$qemu" $machine -accel tcg -smp 1 -m 256 \
		-kernel "$kernel" -initrd "$initrd" \
		-append "console=$tty $append" -nic none -nographic \
		</dev/null >"$console" 2>&1
	status=$?
else
	usage
fi

csv=$outdir/bench-$arch.csv
summary=$outdir/bench-$arch-summary.txt
tr -d '\r' <"$console" | sed -n '/^rustprocfile-bench: csv begin$/,/^rustprocfile-bench: csv end$/p' |
	sed '1d;$d' >"$csv"
tr -d '\r' <"$console" | sed -n '/^rustprocfile-bench: summary begin$/,/^rustprocfile-bench: summary end/p' |
	sed '1d;$d' >"$summary"
if [ "$status" -ne 0 ] || [ ! -s "$csv" ]; then
	echo "bench.sh: no results (qemu status $status); see $console" >&2
	tail -n 20 "$console" >&2
	exit 1
fi
echo "# $(($(wc -l <"$csv") - 1)) rows in $csv"
cat "$summary"
# The same console checks as a test boot: every KTAP report complete and
# passed (the self-test, and the C twin's conformance run), no splat.
verdict=$("$(dirname "$0")/check-console.py" "$console")
check=$?
echo "$verdict" | sed 's/^/# /'
if [ "$check" -ne 0 ]; then
	echo "bench.sh: console check failed; see $console" >&2
	exit 1
fi
