#!/bin/sh
#
# Robustness run of /proc/rustfile: hostile arguments, an unprivileged
# user, concurrent load, and module reloads under load, each a KTAP report
# from rustprocfile-stress, then one report on the kernel log.
#
# Usage: rustprocfile-stress-run [--secs S] [--cycles C] [--ko PATH]
#   --secs    length of the concurrent load (default 10)
#   --cycles  rmmod/insmod cycles under load (default 20)
#   --ko      the module file, for insmod and finit_module; by default it
#             is looked up under /lib/modules and loaded with modprobe
#
# The module is reloaded between tests with the parameters each needs, and
# left loaded with its defaults. Exit status: 0 if every case passed.

set -u

secs=10
cycles=20
ko=
while [ $# -gt 0 ]; do
	case $1 in
	--secs) secs=$2; shift 2 ;;
	--cycles) cycles=$2; shift 2 ;;
	--ko) ko=$2; shift 2 ;;
	*) echo "usage: $0 [--secs S] [--cycles C] [--ko PATH]" >&2; exit 2 ;;
	esac
done

prog=rustprocfile-stress
status=0
# The stress test's records are 1000 bytes; a max_size that is a multiple
# of them keeps appends whole when the file fills up.
stress_max_size=8192000

load() {
	if [ -n "$ko" ]; then
		insmod "$ko" "$@"
	else
		modprobe rustprocfile "$@"
	fi
}

reload() {
	if [ -d /sys/module/rustprocfile ]; then
		rmmod rustprocfile || return 1
	fi
	load "$@"
}

# finit_module in the reload test needs the file itself.
ko_file=$ko
if [ -z "$ko_file" ]; then
	ko_file=$(find "/lib/modules/$(uname -r)" -name 'rustprocfile.ko' | head -n 1)
fi

# kmemleak lives in debugfs; mounting it is harmless where it is absent.
if [ ! -d /sys/kernel/debug/tracing ] && ! grep -q ' /sys/kernel/debug ' /proc/mounts; then
	mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
fi

# Marks where this run starts in the kernel log, so that the final scan
# looks only at what happened during it.
marker="rustprocfile-stress-run: start $$ $(cat /proc/uptime)"
echo "$marker" >/dev/kmsg

run() {
	"$prog" "$@" || status=1
}

# Reloads the module with parameters $@; if that fails, says so in KTAP,
# so that the missing test is a failure and not a silent gap.
prepare() {
	if ! reload "$@"; then
		printf 'KTAP version 1\n1..1\nnot ok 1 module_reload %s\n' "$*"
		status=1
		return 1
	fi
}

# The reference file of badinput must be in tmpfs, whatever /tmp is.
ref=$(mktemp -d /tmp/rustprocfile-stress.XXXXXX)
mount -t tmpfs rustprocfile-stress "$ref"
prepare && run badinput -d "$ref"
umount "$ref"
rmdir "$ref"

# A reader stalled in its copy to user space (userfaultfd) must not hold
# up writers, truncate, lseek, the statistics or rmmod.
prepare && run stuckreader

# Two procfs mounts: sizes and contents agree through both.
prepare && run mounts

# The file's memory is charged to the writer's memory cgroup.
prepare max_size=4194304 && run memcg

# Module parameters that must be refused, and the statistics' mode: one
# KTAP report of its own.
params_case=0
params_result() {
	params_case=$((params_case + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $params_case $2"
	else
		echo "not ok $params_case $2"
		status=1
	fi
}
# Succeeds if the newest rustprocfile line of the kernel log contains $1.
logged() {
	dmesg | grep 'rustprocfile:' | tail -n 1 | grep -qF "$1"
}
echo "KTAP version 1"
echo "# rustprocfile-stress params"
echo "1..5"
reload max_size=2147483648 >/dev/null 2>&1
[ ! -e /proc/rustfile ] && logged 'invalid max_size=2147483648'
params_result $? max_size_above_proc_limit_refused
reload max_size=2147483647
[ -e /proc/rustfile ]
params_result $? max_size_at_proc_limit_loads
reload name=meminfo >/dev/null 2>&1
[ ! -d /sys/module/rustprocfile ] && logged '/proc/meminfo exists' &&
	head -n 1 /proc/meminfo | grep -q MemTotal
params_result $? name_clash_meminfo_eexist
reload mode=0600
[ -n "$(find /proc/rustprocfile/stats -perm 0400)" ]
params_result $? stats_mode_0400_for_mode_0600
reload
[ -n "$(find /proc/rustprocfile/stats -perm 0444)" ]
params_result $? stats_mode_0444_for_mode_0644

prepare && run unpriv

prepare max_size=$stress_max_size && run stress -t "$secs"

prepare && run reload -k "$ko_file" -c "$cycles"
[ -d /sys/module/rustprocfile ] || load

# The kernel log since the marker (all of it if the marker scrolled out):
# any of the reports that check-console.py looks for, or a kmemleak
# finding, fails the run even if every case passed.
echo "KTAP version 1"
echo "# rustprocfile-stress kernel log"
echo "1..1"
from=$(dmesg | grep -nF "$marker" | tail -n 1 | cut -d: -f1)
splats=$(dmesg | tail -n +"${from:-1}" | grep -E \
	'Oops|(^|[^[:alnum:]_])BUG[: ]|WARNING:|Kernel panic|KASAN|UBSAN|possible recursive locking|INFO: task .* blocked|Call Trace:|general protection fault|Unable to handle kernel|rust_panic|panicked at|suspected memory leak')
if [ -n "$splats" ]; then
	echo "$splats" | sed 's/^/# /'
	echo "not ok 1 kernel_log_clean"
	status=1
else
	echo "ok 1 kernel_log_clean"
fi
exit $status
