#!/bin/sh
# Run rustprocfile-bench on /proc/rustfile, /proc/cfile (the C twin) and a
# file in a private tmpfs, in this boot, and print the CSV and the summary
# on the console between marker lines (test/bench.sh extracts them). With
# rustprocfile_insncount=REPS on the kernel command line, run
# rustprocfile-insncount on the same files instead (for the insn-window
# QEMU plugin, test/insn-count/insn-count.sh). With
# rustprocfile_parallel=READERS, run rustprocfile-parallel instead: 1 and
# READERS processes reading each file at once (test/bench-parallel.sh).
#
# Usage: rustprocfile-bench-run [ACCEL [REPS]]
# Without arguments, reads 'rustprocfile_bench=ACCEL' and optionally
# 'rustprocfile_bench_reps=N', 'rustprocfile_bench_boot=N',
# 'rustprocfile_insncount=REPS' or 'rustprocfile_parallel=READERS' (with
# 'rustprocfile_parallel_reps=N' and 'rustprocfile_parallel_secs=S') from
# the kernel command line, and does nothing when none is there (so an
# init script may call it always).
#
# Under TCG where code and data land changes the speed of the same code,
# and the module loaded and the file filled first get the first addresses
# and pages. So the order alternates with the boot number: the module
# first on odd ones, the twin on even ones. The addresses themselves
# change from boot to boot too (the benchmark kernel has KASLR); the
# summary says where each module landed.

accel=${1:-}
reps=${2:-}
insncount=
parallel=
parallel_reps=5
parallel_secs=2
boot=1
if [ -z "$accel" ]; then
	read -r cmdline </proc/cmdline
	for word in $cmdline; do
		case $word in
		rustprocfile_bench=*) accel=${word#*=} ;;
		rustprocfile_bench_reps=*) reps=${word#*=} ;;
		rustprocfile_bench_boot=*) boot=${word#*=} ;;
		rustprocfile_insncount=*) insncount=${word#*=} ;;
		rustprocfile_parallel=*) parallel=${word#*=} ;;
		rustprocfile_parallel_reps=*) parallel_reps=${word#*=} ;;
		rustprocfile_parallel_secs=*) parallel_secs=${word#*=} ;;
		esac
	done
	[ -n "$accel" ] || [ -n "$insncount" ] || [ -n "$parallel" ] || exit 0
fi
reps=${reps:-5}

if [ $((boot % 2)) -eq 0 ]; then
	order="cfile rustprocfile"
else
	order="rustprocfile cfile"
fi
# The init script loaded rustprocfile for its self-test: reload the
# modules in the order of this boot. The files are measured (and filled)
# in the same order.
for module in $order; do
	modprobe -r "$module" 2>/dev/null
done
set --
for module in $order; do
	modprobe "$module"
	case $module in
	rustprocfile) f=/proc/rustfile label=rust ;;
	cfile) f=/proc/cfile label=c ;;
	esac
	if [ ! -e "$f" ]; then
		echo "rustprocfile-bench: $f missing, not running"
		exit 1
	fi
	set -- "$@" "$label=$f"
done

# Comparing speeds means nothing unless the twin behaves like the module:
# the conformance suite the module passes at every boot, on /proc/cfile.
if command -v rustprocfile-conformance >/dev/null; then
	read -r twin_max </sys/module/cfile/parameters/max_size
	rustprocfile-conformance --path /proc/cfile --max-size "$twin_max" \
		--seeds 1,2,3,4,5 --ops 2000 --ref-dir /tmp || {
		echo "rustprocfile-bench: /proc/cfile fails the conformance suite, not running"
		exit 1
	}
fi

# Where this boot put each module (the benchmark kernel has KASLR, so it
# changes from boot to boot): /proc/modules gives root the load address.
placement=
for module in $order; do
	while read -r name _ _ _ _ address _; do
		[ "$name" = "$module" ] && placement="$placement $name=$address"
	done </proc/modules
done

dir=/run/rustprocfile-bench
mkdir -p "$dir" || exit 1
mount -t tmpfs -o size=32m rustprocfile-bench "$dir" || exit 1
# Results stay in the tmpfs until the end: nothing is printed while
# measuring, so the console does not compete with the benchmark.
if [ -n "$insncount" ]; then
	rustprocfile-insncount -r "$insncount" \
		rust=/proc/rustfile c=/proc/cfile tmpfs="$dir/file" \
		>"$dir/counts" 2>&1
	status=$?
	echo "rustprocfile-insncount: begin"
	cat "$dir/counts"
	echo "rustprocfile-insncount: end (status $status)"
	umount "$dir"
	exit "$status"
fi
if [ -n "$parallel" ]; then
	rustprocfile-parallel -n "$parallel" -r "$parallel_reps" \
		-s "$parallel_secs" "$@" tmpfs="$dir/file" \
		>"$dir/csv" 2>"$dir/summary"
	status=$?
	echo "rustprocfile-parallel: csv begin"
	cat "$dir/csv"
	echo "rustprocfile-parallel: csv end"
	echo "rustprocfile-parallel: summary begin"
	echo "placement:$placement"
	cat "$dir/summary"
	echo "rustprocfile-parallel: summary end (status $status)"
	umount "$dir"
	exit "$status"
fi
rustprocfile-bench -r "$reps" -a "$accel" "$@" tmpfs="$dir/file" \
	>"$dir/csv" 2>"$dir/summary"
status=$?
echo "rustprocfile-bench: csv begin"
cat "$dir/csv"
echo "rustprocfile-bench: csv end"
echo "rustprocfile-bench: summary begin"
echo "placement:$placement"
cat "$dir/summary"
echo "rustprocfile-bench: summary end (status $status)"
umount "$dir"
exit "$status"
