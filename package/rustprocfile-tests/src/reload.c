// SPDX-License-Identifier: GPL-2.0
/*
 * reload: remove and load the module again and again while workers keep
 * files open and read, write and seek through them.
 *
 * What must hold: an operation either works or fails cleanly; once the
 * entry is removed, the old descriptors get EIO from read and write (and
 * EINVAL from lseek: procfs's answer when the entry is gone) and open gets
 * ENOENT until the module is back. On Linux 6.18 each cycle also maps the
 * file and faults half of its pages in before the removal: those must keep
 * their data and take stores after it, until munmap(), and the other half
 * must fault with SIGBUS. Afterwards kmemleak must find nothing
 * and the kernel memory charged to the test's memory cgroup (the module's
 * pages and index nodes: see enter_memcg()) must be back where it started. Kernel
 * splats (KASAN, lockdep, BUG) are left to the console checker and to the
 * driver script, which scans the kernel log.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "common.h"

#define KMEMLEAK "/sys/kernel/debug/kmemleak"
#define CHUNK 4096
/* Data written per cycle before removal, so a leak of the module's pages
 * would add up to far more than the tolerance. */
#define FILL (256 * 1024)

struct rworker {
	pthread_t thread;
	uint64_t rng;
	uint64_t ops, ok, eio, einval, enoent, reopen;
};

static atomic_int stop;
static atomic_long bad;

static uint64_t next_rand(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static void bad_result(const char *what, long long r)
{
	if (atomic_fetch_add(&bad, 1) < 20)
		diag("worker: %s returned %lld (%s)", what, r,
		     r < 0 ? strerror((int)-r) : "-");
}

static void *worker(void *arg)
{
	struct rworker *w = arg;
	static _Thread_local char buf[CHUNK];
	int fd = -1;

	memset(buf, 'w', sizeof(buf));
	while (!atomic_load(&stop)) {
		uint64_t x = next_rand(&w->rng);
		long long off = (long long)(x % (FILL / CHUNK)) * CHUNK, r;

		if (fd < 0) {
			fd = open(path, O_RDWR);
			w->ops++;
			if (fd >= 0) {
				w->reopen++;
			} else if (errno == ENOENT) {
				/* Between rmmod and insmod. */
				w->enoent++;
				usleep(1000);
			} else {
				bad_result("open", -errno);
			}
			continue;
		}
		switch (x >> 60) {
		case 0: case 1: case 2: case 3: case 4:
			r = res(pread(fd, buf, CHUNK, off));
			break;
		case 5: case 6: case 7: case 8: case 9:
			r = res(pwrite(fd, buf, CHUNK, off));
			break;
		case 10: case 11:
			r = res(read(fd, buf, CHUNK));
			break;
		case 12: case 13:
			r = res(lseek(fd, off, (int)(x & 3) == 3 ? SEEK_DATA : SEEK_SET));
			if (r == -EINVAL) {
				/* procfs answers lseek on a removed entry
				 * with EINVAL; nothing else here is invalid. */
				w->einval++;
				r = -EIO;
			}
			if (r == -ENXIO)
				r = 0;
			break;
		default:
			/* Drop the descriptor now and then, so that both
			 * old and fresh ones are in use at every removal. */
			close(fd);
			fd = -1;
			w->ops++;
			continue;
		}
		w->ops++;
		if (r >= 0) {
			w->ok++;
		} else if (r == -EIO) {
			w->eio++;
			/* Keep the stale descriptor for a while: it must
			 * keep failing, also after the module is back. */
			if ((x & 15) == 0) {
				close(fd);
				fd = -1;
			}
		} else {
			bad_result("read/write/lseek", r);
		}
	}
	if (fd >= 0)
		close(fd);
	return NULL;
}

static int kmemleak_cmd(const char *cmd)
{
	int fd = open(KMEMLEAK, O_WRONLY);
	int r;

	if (fd < 0)
		return -1;
	r = write(fd, cmd, strlen(cmd)) < 0 ? -1 : 0;
	close(fd);
	return r;
}

/* Prints kmemleak's report as diagnostics; returns the number of leaks. */
static int kmemleak_report(void)
{
	FILE *f = fopen(KMEMLEAK, "r");
	char line[512];
	int leaks = 0;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = 0;
		if (!strncmp(line, "unreferenced object", 19))
			leaks++;
		if (leaks <= 5)
			diag("kmemleak: %s", line);
	}
	fclose(f);
	return leaks;
}

static int load(int kofd, const char *params)
{
	return (int)syscall(SYS_finit_module, kofd, params, 0);
}

static int unload(void)
{
	int i, r = -1;

	/* O_NONBLOCK: fail rather than wait if something holds a reference;
	 * procfs takes none for open files, so this should never retry. */
	for (i = 0; i < 50; i++) {
		r = (int)syscall(SYS_delete_module, MODULE_NAME, O_NONBLOCK);
		if (r == 0 || (errno != EAGAIN && errno != EBUSY &&
			       errno != EWOULDBLOCK))
			break;
		usleep(20000);
	}
	return r;
}

/*
 * A mapping of the file's first FILL bytes, and one page more, with the
 * pages of its first half faulted in (the workers write there meanwhile,
 * in place: the pages are mapped).
 */
static char *map_half(int fd)
{
	char *m = mmap(NULL, FILL + CHUNK, PROT_READ | PROT_WRITE, MAP_SHARED,
		       fd, 0);
	char c;
	int k;

	if (m == MAP_FAILED)
		return NULL;
	for (k = 0; k < FILL / CHUNK / 2; k++)
		if (load_byte(m + (size_t)k * CHUNK, &c)) {
			errno = EFAULT;
			munmap(m, FILL + CHUNK);
			return NULL;
		}
	return m;
}

/*
 * After the module's removal: the pages faulted in still hold file data
 * (bytes of the fill, of a worker's write, or zeros a worker read from a
 * hole and wrote back), which nobody changes any more (memory freed and
 * used again would change), and take a store; the others and the page
 * past the end fault with SIGBUS. Unmaps the mapping. 0 if all holds.
 */
static int check_orphan_mapping(char *m, int cycle)
{
	static char before[FILL / 2];
	int k, bad = 0;
	size_t i;
	char c;

	memcpy(before, m, sizeof(before));
	usleep(20000);
	for (i = 0; i < sizeof(before) && !bad; i++)
		if (m[i] != before[i] || (m[i] != 'm' && m[i] != 'w' && m[i])) {
			diag("cycle %d: byte %zu of the mapping after removal: %#x, then %#x",
			     cycle, i, (unsigned char)before[i],
			     (unsigned char)m[i]);
			bad = 1;
		}
	for (k = 0; k <= FILL / CHUNK && !bad; k++) {
		volatile char *p = m + (size_t)k * CHUNK + (size_t)(k % 7);
		int mapped = k < FILL / CHUNK / 2;
		int faulted = load_byte(p, &c);

		if (faulted != (mapped ? 0 : -1)) {
			diag("cycle %d: page %d of the mapping after removal: %s",
			     cycle, k, mapped ? "faulted" : "did not fault");
			bad = 1;
		} else if (mapped && (store_byte(p, 'x') || load_byte(p, &c) ||
				      c != 'x')) {
			diag("cycle %d: page %d of the mapping after removal does not keep a store",
			     cycle, k);
			bad = 1;
		}
	}
	munmap(m, FILL + CHUNK);
	return bad;
}

/*
 * Puts the file into the same state before and after the loop: loaded, no
 * descriptor open, empty. First it writes and truncates a few MiB: under
 * KASAN, freed objects wait in a quarantine (up to 1/32 of RAM) before slab
 * gets them back; churning fills the quarantine to its cap both times, so
 * the comparison measures the module and not the quarantine.
 */
static long long measure(void)
{
	static char buf[65536];
	long long v, total = 0, mx = read_max_size();
	int round, fd;

	memset(buf, 'c', sizeof(buf));
	for (round = 0; round < 32 && total < 32LL << 20; round++) {
		long long n = 0;

		fd = open(path, O_WRONLY | O_TRUNC);
		if (fd < 0)
			return -1;
		while (n + (long long)sizeof(buf) <= mx && n < 2LL << 20 &&
		       write(fd, buf, sizeof(buf)) == (ssize_t)sizeof(buf))
			n += sizeof(buf);
		total += n;
		close(fd);
	}
	fd = open(path, O_WRONLY | O_TRUNC);
	if (fd >= 0)
		close(fd);
	settle_memory();
	v = memcg_kernel_kib();
	return v;
}

int run_reload(int argc, char **argv)
{
	const char *ko = NULL, *params = "";
	int cycles = 20, nworkers = 4, tolerance = 1024, opt, i, kofd;
	int mapping = !linux_6_12(), orphans_ok = 1;
	char *m = NULL;
	int cycles_done = 0, clean = 1, leaks, have_kmemleak;
	struct rworker ws[32];
	long long base, after = -1;
	uint64_t ops = 0, eio = 0, enoent = 0, einval = 0, okops = 0;
	double t0;
	static char chunk[CHUNK];

	while ((opt = getopt(argc, argv, "k:c:w:p:m:")) != -1) {
		switch (opt) {
		case 'k': ko = optarg; break;
		case 'c': cycles = atoi(optarg); break;
		case 'w': nworkers = atoi(optarg); break;
		case 'p': params = optarg; break;
		case 'm': tolerance = atoi(optarg); break;
		default: return 2;
		}
	}
	if (!ko || cycles < 1 || nworkers < 0 || nworkers > 32) {
		fprintf(stderr, "reload: -k MODULE.ko, 1+ cycles, 0 to 32 workers\n");
		return 2;
	}
	ktap_plan("reload", 5);
	kofd = open(ko, O_RDONLY | O_CLOEXEC);
	if (kofd < 0)
		diag("%s: %s", ko, strerror(errno));
	have_kmemleak = access(KMEMLEAK, R_OK) == 0;
	if (have_kmemleak) {
		/* Start from a clean slate: report only what this test leaks. */
		kmemleak_cmd("scan");
		kmemleak_cmd("clear");
	}
	if (mapping)
		catch_sigbus();
	if (enter_memcg("rustprocfile-reload"))
		diag("cannot enter a memory cgroup: %s", strerror(errno));
	base = measure();
	diag("baseline: %lld KiB of kernel memory charged to the test", base);

	memset(chunk, 'm', sizeof(chunk));
	memset(ws, 0, sizeof(ws));
	for (i = 0; i < nworkers; i++) {
		ws[i].rng = 0x2545f4914f6cdd1dULL + (uint64_t)i * 6364136223846793005ULL;
		pthread_create(&ws[i].thread, NULL, worker, &ws[i]);
	}
	t0 = now_s();
	for (i = 0; kofd >= 0 && i < cycles && clean; i++) {
		int fd = open(path, O_RDWR), k;
		long long r1, r2, r3, r4;
		char c;

		if (fd < 0) {
			diag("cycle %d: open: %s", i, strerror(errno));
			clean = 0;
			break;
		}
		for (k = 0; k < FILL / CHUNK; k++)
			if (pwrite(fd, chunk, CHUNK, (off_t)k * CHUNK) != CHUNK) {
				diag("cycle %d: fill: %s", i, strerror(errno));
				clean = 0;
			}
		if (mapping) {
			m = map_half(fd);
			if (!m) {
				diag("cycle %d: mmap: %s", i, strerror(errno));
				orphans_ok = 0;
			}
		}
		usleep(20000);
		if (unload()) {
			diag("cycle %d: delete_module: %s", i, strerror(errno));
			clean = 0;
			close(fd);
			if (m)
				munmap(m, FILL + CHUNK);
			break;
		}
		if (m && check_orphan_mapping(m, i))
			orphans_ok = 0;
		m = NULL;
		r1 = res(read(fd, &c, 1));
		r2 = res(write(fd, &c, 1));
		r3 = res(lseek(fd, 0, SEEK_SET));
		r4 = res(open(path, O_RDONLY));
		if (r1 != -EIO || r2 != -EIO || r3 != -EINVAL || r4 != -ENOENT) {
			diag("cycle %d after removal: read %lld write %lld lseek %lld open %lld (want %d %d %d %d)",
			     i, r1, r2, r3, r4, -EIO, -EIO, -EINVAL, -ENOENT);
			clean = 0;
			if (r4 >= 0)
				close((int)r4);
		}
		close(fd);
		usleep(5000 + (i % 5) * 5000);
		if (load(kofd, params)) {
			diag("cycle %d: finit_module: %s", i, strerror(errno));
			clean = 0;
			break;
		}
		cycles_done++;
	}
	atomic_store(&stop, 1);
	for (i = 0; i < nworkers; i++) {
		pthread_join(ws[i].thread, NULL);
		ops += ws[i].ops;
		okops += ws[i].ok;
		eio += ws[i].eio;
		einval += ws[i].einval;
		enoent += ws[i].enoent;
	}
	diag("%d of %d cycles in %.1f s; worker ops %llu (ok %llu, EIO %llu, lseek EINVAL %llu, open ENOENT %llu)",
	     cycles_done, cycles, now_s() - t0, (unsigned long long)ops,
	     (unsigned long long)okops, (unsigned long long)eio,
	     (unsigned long long)einval, (unsigned long long)enoent);
	ktap_result(clean && cycles_done == cycles && atomic_load(&bad) == 0,
		    "reload_under_load_clean_errors");
	if (mapping)
		ktap_result(orphans_ok && cycles_done == cycles,
			    "reload_mapping_outlives_module");
	else
		ktap_result(1, "reload_mapping_outlives_module # SKIP no mmap on Linux 6.12");

	/* A last reload, so that what the workers wrote goes too. */
	if (kofd >= 0 && (unload() || load(kofd, params))) {
		diag("final reload: %s", strerror(errno));
		clean = 0;
	}
	ktap_result(clean, "reload_module_back");

	/* kmemleak reports only objects older than 5 s, so the last cycle's
	 * allocations must age before the scan; measuring waits too. */
	after = measure();
	/* Slow frees (RCU, kmemleak's metadata) get a few more seconds;
	 * churning again would only multiply a real leak. */
	for (i = 0; i < 8 && after >= 0 && base >= 0 && after - base > tolerance; i++) {
		settle_memory();
		after = memcg_kernel_kib();
	}
	diag("%lld KiB of kernel memory charged to the test after, baseline %lld KiB, tolerance %d KiB (a leaked fill would add %d KiB)",
	     after, base, tolerance, cycles_done * FILL / 1024);
	ktap_result(base >= 0 && after >= 0 && after - base <= tolerance,
		    "reload_memory_back_to_baseline");
	leave_memcg();

	if (!have_kmemleak) {
		ktap_result(1, "reload_kmemleak_clean # SKIP no " KMEMLEAK);
	} else {
		sleep(5);
		kmemleak_cmd("scan");
		leaks = kmemleak_report();
		diag("kmemleak: %d suspected leaks", leaks);
		ktap_result(leaks == 0, "reload_kmemleak_clean");
	}
	if (kofd >= 0)
		close(kofd);
	return ktap_failed();
}
