#!/bin/sh
# Boot a benchmark image with several vCPUs and rustprocfile_parallel=N on
# the kernel command line, and collect what rustprocfile-parallel measured:
# 1 and N processes reading /proc/rustfile, /proc/cfile and a file in
# tmpfs at once, in one boot.
#
# Usage: bench-parallel.sh [-r REPS] [-s SECONDS] [-o OUTDIR] [-t TIMEOUT] IMAGES_DIR
#        bench-parallel.sh [-r REPS] [-s SECONDS] [-o OUTDIR] [-t TIMEOUT] -a ARCH -k KERNEL -i INITRD
#
# The two forms are test/bench.sh's: IMAGES_DIR is a Buildroot images/
# directory with start-qemu.sh (booted with KVM where test/pick-accel.sh
# finds that it works, TCG elsewhere), or any kernel and initramfs that
# run rustprocfile-bench-run (ARCH: x86_64 or aarch64; TCG). One boot
# per vCPU count N, N readers: each writes
# OUTDIR/parallel-ARCH-smpN.csv, -smpN-summary.txt and -smpN-console.log
# (OUTDIR defaults to the current directory). REPS repetitions of SECONDS
# per measurement (default 5 and 2).
#
# N is 2, and also 4 where the host has 4 CPUs or more (nproc): each vCPU
# is a host thread (multi-threaded TCG, asked for by name so that QEMU
# fails rather than running all vCPUs in one thread; or KVM), and with
# more vCPUs than host CPUs the readers would take turns on the host's
# CPUs, so the scaling would measure the host's scheduler, not the file.
# With 2 vCPUs on a 2-CPU host the readers share the host with QEMU's
# other threads and whatever else runs: tmpfs's scaling, measured in the
# same boot and interleaved with the others, is the yardstick
# (test/bench-parallel-report.py).
#
# A kernel built for fewer CPUs (CONFIG_NR_CPUS) boots with fewer than
# asked: the summary's 'cpus:' line says how many were online. Such a
# boot keeps its console log and summary but not its CSV, with a note;
# the script fails when no boot is left.
set -u

reps=5
secs=2
outdir=.
timeout=900
arch=
kernel=
initrd=
usage() {
	sed -n '7,8p' "$0" >&2
	exit 2
}
while getopts r:s:o:t:a:k:i: opt; do
	case $opt in
	r) reps=$OPTARG ;;
	s) secs=$OPTARG ;;
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
qemu_accel=$accel
[ "$accel" = tcg ] && qemu_accel=tcg,thread=multi
counts=2
[ "$(nproc)" -ge 4 ] && counts="2 4"
mkdir -p "$outdir" || exit 1
# A CSV of an earlier run with other vCPU counts would be reported with these.
rm -f "$outdir/parallel-$arch"-smp*.csv

# boot N: one boot with N vCPUs and N readers; 0 with a CSV kept, 1 on
# failure, 3 for a boot with fewer CPUs online than N.
boot() {
	name=$outdir/parallel-$arch-smp$1
	console=$name-console.log
	append="rustprocfile_parallel=$1 rustprocfile_parallel_reps=$reps"
	append="$append rustprocfile_parallel_secs=$secs rustprocfile_test=poweroff"
	echo "# $1 vCPUs, $1 readers: ${images:-$kernel} ($accel, $reps repetitions of ${secs}s, timeout ${timeout}s)"
	if [ -n "$images" ]; then
		QEMU_ACCEL=$qemu_accel QEMU_APPEND=$append \
			timeout "$timeout" "$images/start-qemu.sh" -smp "$1" \
			</dev/null >"$console" 2>&1
	else
		# $machine is a list of options: split on purpose.
		# shellcheck disable=SC2086
		timeout "$timeout" "$qemu" $machine -accel "$qemu_accel" \
			-smp "$1" -m 256 -kernel "$kernel" -initrd "$initrd" \
			-append "console=$tty $append" -nic none -nographic \
			</dev/null >"$console" 2>&1
	fi
	status=$?
	console_section "$console" 'rustprocfile-parallel: csv begin' \
		'rustprocfile-parallel: csv end$' >"$name.csv"
	{
		echo "accel: $accel"
		echo "vcpus: $1"
		console_section "$console" 'rustprocfile-parallel: summary begin' \
			'rustprocfile-parallel: summary end'
	} >"$name-summary.txt"
	if [ "$status" -ne 0 ] || [ ! -s "$name.csv" ]; then
		echo "bench-parallel.sh: no results (qemu status $status); see $console" >&2
		tail -n 20 "$console" >&2
		return 1
	fi
	echo "# $(($(wc -l <"$name.csv") - 1)) rows in $name.csv"
	# The same console checks as test/bench.sh's boots.
	verdict=$("$here/check-console.py" "$console")
	check=$?
	echo "$verdict" | sed 's/^/# /'
	if [ "$check" -ne 0 ]; then
		echo "bench-parallel.sh: console check failed; see $console" >&2
		return 1
	fi
	online=$(sed -n 's/^cpus: \([0-9]*\)$/\1/p' "$name-summary.txt")
	if [ "${online:-0}" -lt "$1" ]; then
		echo "bench-parallel.sh: ${online:-no} CPUs online of $1 (the kernel's CONFIG_NR_CPUS?): $name.csv left out" >&2
		rm -f "$name.csv"
		return 3
	fi
	sed -n '/^file /,$p' "$name-summary.txt" | sed 's/^/# /'
}

kept=0
for n in $counts; do
	boot "$n"
	case $? in
	0) kept=$((kept + 1)) ;;
	3) ;;
	*) exit 1 ;;
	esac
done
[ "$kept" -gt 0 ] || {
	echo "bench-parallel.sh: no boot had the CPUs it asked for" >&2
	exit 1
}
