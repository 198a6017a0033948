#!/bin/sh
# Count the guest instructions per read and write on /proc/rustfile, its C
# twin and tmpfs: boot a benchmark image (x86_64 or aarch64) under TCG
# with the insn-window plugin and rustprocfile_insncount=REPS, then join the
# plugin's counts with the guest's window list (insn-report.py).
# Usage: insn-count.sh [-r REPS] CACHE_DIR IMAGES_DIR OUTDIR
# Writes OUTDIR/insns-ARCH.csv, insns-ARCH.md and the console and plugin
# logs, from a boot that loads the module first; then the same, suffixed
# -twin-first, from a boot that loads the C twin first. The instruction
# counts do not depend on the order; the jump-cache misses do, since they
# come from where the blocks land (insn-window.c). The benchmark kernel
# has KASLR; these boots turn it off ("nokaslr"), so that the plugin's
# split into kernel and module code holds and the places, and with them
# the jump-cache misses, are the same from run to run. A third boot,
# suffixed -tlb, adds the plugin's model of QEMU's software TLB: it runs
# a callback at every memory access, which slows the guest down and lets
# more timer interrupts into the windows, so its counts stay apart.
set -u

reps=5
while getopts r: opt; do
	case $opt in
	r) reps=$OPTARG ;;
	*) exit 2 ;;
	esac
done
shift $((OPTIND - 1))
cache=${1:?usage: insn-count.sh [-r REPS] CACHE_DIR IMAGES_DIR OUTDIR}
images=$(cd "${2:?images dir}" && pwd) || exit 1
outdir=${3:?outdir}
here=$(cd "$(dirname "$0")" && pwd)

arch=$("$here/../guest-arch.sh" "$images") || exit 1
mkdir -p "$outdir" || exit 1
outdir=$(cd "$outdir" && pwd)
plugin=$("$here/build-plugin.sh" "$cache") || exit 1
# rustprocfile-bench-run loads the module first on odd boot numbers and
# the twin first on even ones.
count() {
	console=$outdir/insns-$arch$2-console.log
	log=$outdir/insns-$arch$2-plugin.log
	rm -f "$log"
	echo "# booting $images with $plugin ($reps repetitions, boot $1)"
	QEMU_ACCEL=tcg \
		QEMU_APPEND="nokaslr rustprocfile_insncount=$reps rustprocfile_bench_boot=$1 rustprocfile_test=poweroff" \
		timeout 1800 "$images/start-qemu.sh" -plugin "$plugin${3:+,$3}" \
		-d plugin -D "$log" \
		</dev/null >"$console" 2>&1
	status=$?
	if [ "$status" -ne 0 ] || ! grep -q "^rustprocfile-insncount: end (status 0)" "$console"; then
		echo "insn-count.sh: no complete run (qemu status $status); see $console" >&2
		tail -n 20 "$console" >&2
		return 1
	fi
	"$here/insn-report.py" "$console" "$log" "$outdir/insns-$arch$2.csv" \
		>"$outdir/insns-$arch$2.md" || return 1
	cat "$outdir/insns-$arch$2.md"
}
count 1 "" || exit 1
count 2 -twin-first || exit 1
count 1 -tlb tlb=on || exit 1
