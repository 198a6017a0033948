// SPDX-License-Identifier: GPL-2.0
/*
 * rustprocfile-stress: robustness tests of /proc/rustfile under load,
 * module removal, an unprivileged user and hostile arguments.
 *
 * Usage: rustprocfile-stress [--path P] TEST [OPTIONS]
 * TEST is stress, reload, unpriv, badinput, stuckreader, mounts or memcg;
 * each prints one KTAP report and exits non-zero if a case failed. See
 * usage() for the options.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "common.h"

const char *path = "/proc/rustfile";

static int ktap_number;
static int ktap_failures;
/* Workers report from several threads; keep their lines whole. */
static pthread_mutex_t out_lock = PTHREAD_MUTEX_INITIALIZER;

void ktap_plan(const char *what, int cases)
{
	printf("KTAP version 1\n# rustprocfile-stress %s\n1..%d\n", what, cases);
	fflush(stdout);
}

void ktap_result(int ok, const char *fmt, ...)
{
	va_list ap;

	pthread_mutex_lock(&out_lock);
	printf("%sok %d ", ok ? "" : "not ", ++ktap_number);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	/* Flushed per line: the console log must hold every result even if
	 * the kernel dies in the next case. */
	fflush(stdout);
	if (!ok)
		ktap_failures++;
	pthread_mutex_unlock(&out_lock);
}

void diag(const char *fmt, ...)
{
	va_list ap;

	pthread_mutex_lock(&out_lock);
	printf("# ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	pthread_mutex_unlock(&out_lock);
}

void ktap_advance(int n, int failed)
{
	ktap_number += n;
	if (failed)
		ktap_failures++;
}

int ktap_failed(void)
{
	return ktap_failures != 0;
}

long long res(long long r)
{
	return r < 0 ? -errno : r;
}

uint64_t fnv1a(uint64_t h, const void *p, size_t n)
{
	const unsigned char *b = p;

	while (n--) {
		h ^= *b++;
		h *= 0x100000001b3ULL;
	}
	return h;
}

uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

double now_s(void)
{
	return (double)now_ns() / 1e9;
}

int file_sum(int fd, uint64_t *sum, long long *size)
{
	static char buf[65536];
	long long off = 0;
	uint64_t h = FNV_INIT;
	ssize_t n;

	while ((n = pread(fd, buf, sizeof(buf), off)) > 0) {
		h = fnv1a(h, buf, (size_t)n);
		off += n;
	}
	if (n < 0)
		return -1;
	*sum = h;
	*size = off;
	return 0;
}

static sigjmp_buf bus_jmp;

static void on_sigbus(int sig)
{
	(void)sig;
	siglongjmp(bus_jmp, 1);
}

void catch_sigbus(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_sigbus;
	sigaction(SIGBUS, &sa, NULL);
}

int load_byte(const volatile char *p, char *out)
{
	if (sigsetjmp(bus_jmp, 1))
		return -1;
	*out = *p;
	return 0;
}

int store_byte(volatile char *p, char v)
{
	if (sigsetjmp(bus_jmp, 1))
		return -1;
	*p = v;
	return 0;
}

static char memcg_dir[256];

int put_text(const char *file, const char *text)
{
	int fd = open(file, O_WRONLY);
	int ok = fd >= 0 && write(fd, text, strlen(text)) == (ssize_t)strlen(text);

	if (fd >= 0)
		close(fd);
	return ok ? 0 : -1;
}

int make_memcg(const char *dir)
{
	if (access(CGROOT "/cgroup.controllers", F_OK))
		mount("none", CGROOT, "cgroup2", 0, NULL);
	put_text(CGROOT "/cgroup.subtree_control", "+memory");
	return mkdir(dir, 0755) && errno != EEXIST ? -1 : 0;
}

int enter_memcg(const char *name)
{
	char procs[300], pid[32];

	snprintf(memcg_dir, sizeof(memcg_dir), CGROOT "/%s", name);
	if (make_memcg(memcg_dir))
		return -1;
	snprintf(procs, sizeof(procs), "%s/cgroup.procs", memcg_dir);
	snprintf(pid, sizeof(pid), "%d", getpid());
	return put_text(procs, pid);
}

long long memcg_kernel_kib(void)
{
	char stat[300], line[128];
	long long v = -1;
	FILE *f;

	snprintf(stat, sizeof(stat), "%s/memory.stat", memcg_dir);
	f = fopen(stat, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "kernel %lld", &v) == 1)
			break;
	fclose(f);
	return v < 0 ? -1 : v / 1024;
}

void leave_memcg(void)
{
	char pid[32];

	snprintf(pid, sizeof(pid), "%d", getpid());
	put_text(CGROOT "/cgroup.procs", pid);
	rmdir(memcg_dir);
}

void settle_memory(void)
{
	int fd = open("/proc/sys/vm/drop_caches", O_WRONLY);

	/* Dentries and inodes of /proc and the test's own files are not the
	 * module's memory; drop them so they do not hide or fake a leak. */
	if (fd >= 0) {
		if (write(fd, "3", 1) < 0)
			diag("drop_caches: %s", strerror(errno));
		close(fd);
	}
	/* RCU-deferred frees (kmemleak's metadata, file structures) run
	 * within a grace period or two; a second is plenty under TCG. */
	sleep(1);
}

static void usage(void)
{
	fprintf(stderr,
		"usage: rustprocfile-stress [--path P] TEST [OPTIONS]\n"
		"  stress   [-r READERS] [-w WRITERS] [-a APPENDERS] [-s SEEKERS] [-t SECS]\n"
		"           (the module's max_size must be a multiple of 1000)\n"
		"  reload   -k MODULE.ko [-c CYCLES] [-w WORKERS] [-p PARAMS] [-m TOLERANCE_KIB]\n"
		"  unpriv   [-u UID] [-m TOLERANCE_KIB]\n"
		"  badinput -d TMPFS_DIR\n"
		"  stuckreader\n"
		"  mounts\n"
		"  memcg\n");
	exit(2);
}

int main(int argc, char **argv)
{
	const char *test;

	/* Results must reach the console in order with the kernel's own
	 * messages, also when stdout is a pipe to tee. */
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc > 2 && !strcmp(argv[1], "--path")) {
		path = argv[2];
		argc -= 2;
		argv += 2;
	}
	if (argc < 2)
		usage();
	test = argv[1];
	argc--;
	argv++;
	if (!strcmp(test, "stress"))
		return run_stress(argc, argv);
	if (!strcmp(test, "reload"))
		return run_reload(argc, argv);
	if (!strcmp(test, "unpriv"))
		return run_unpriv(argc, argv);
	if (!strcmp(test, "badinput"))
		return run_badinput(argc, argv);
	if (!strcmp(test, "stuckreader"))
		return run_stuckreader(argc, argv);
	if (!strcmp(test, "mounts"))
		return run_mounts(argc, argv);
	if (!strcmp(test, "memcg"))
		return run_memcg(argc, argv);
	usage();
	return 2;
}
