// SPDX-License-Identifier: GPL-2.0
/*
 * rustprocfile-parallel: read throughput of N processes reading the same
 * file at once, against one process alone, on several files in the same
 * boot (typically /proc/rustfile, its C twin /proc/cfile and a file in
 * tmpfs): whether a file's read path lets readers on several CPUs run side
 * by side the way the page cache does.
 *
 * Each file is truncated and filled to 1 MiB with a pattern (every 32-bit
 * word holds its offset, salted), so reads return data, not holes. A
 * measurement forks the readers, one process each, that open the file
 * O_RDONLY once and pread(2) 64 KiB at a time at successive offsets,
 * wrapping at 1 MiB, until a deadline they share: large requests in a
 * loop with no exec or open per request, so the file's read path is what
 * costs. The readers get ready (file open, buffer faulted in, pinned to a
 * CPU each), then the parent sets the deadline and closes a pipe they all
 * wait on, which releases them together. Each reader stores its byte
 * count and its start and end times in MAP_SHARED memory; throughput is
 * the bytes of all readers over the time from the first start to the last
 * end. Three words of every request are checked against the pattern, and
 * the parent reads the whole file back before and after, so a read that
 * returns wrong or short data fails the run instead of counting.
 *
 * Every repetition measures each file with 1 and with N readers, the files
 * interleaved (all files at one reader count, then all at the other) and
 * their order rotated from one repetition to the next, the reader counts'
 * order swapped: a slow phase of the host hits every file alike.
 *
 * stdout: CSV, one row per (file, readers, repetition):
 *   file,readers,rep,bytes,seconds,mib_per_s
 * stderr: the CPUs online, then per file the median (and best) MiB/s at 1
 * and N readers, the scaling factor N/1 (median of the per-repetition
 * factors) and, for each file but the reference (the file labelled
 * "tmpfs", else the last one), its scaling over the reference's (median
 * and range of the per-repetition quotients; target >= 0.9).
 *
 * Usage: rustprocfile-parallel [-n READERS] [-s SECONDS] [-r REPS] LABEL=PATH...
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_FILES	8
#define MAX_READERS	64
#define MAX_REPS	64
#define FILE_BYTES	(1L << 20)
#define REQ_BYTES	(64L << 10)
/* Requests between clock reads: a clock read can be a system call. */
#define CHECK_EVERY	4
#define SALT		0xa5c30000u
#define TARGET		0.9

struct pfile {
	const char *label;
	const char *path;
};

/* One reader's figures, a cache line each: readers on other CPUs. */
struct slot {
	uint64_t bytes;
	double start;
	double end;
} __attribute__((aligned(64)));

struct shared {
	double deadline;
	struct slot slot[MAX_READERS];
};

struct measure {
	uint64_t bytes;
	double secs;
	double mibps;
};

static struct pfile files[MAX_FILES];
static int nfiles;
static struct shared *sh;
static uint32_t *pattern;	/* the 1 MiB every file holds */
static cpu_set_t cpus;		/* where readers may run */

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void fail(const char *what, const char *label, const char *path)
{
	fprintf(stderr, "rustprocfile-parallel: %s: %s %s: %s\n", label, what,
		path, errno ? strerror(errno) : "short or wrong data");
	exit(1);
}

static uint32_t word_at(long off)
{
	return (uint32_t)off ^ SALT;
}

static void fill(const struct pfile *f)
{
	long off;
	int fd;

	errno = 0;
	fd = open(f->path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		fail("open", f->label, f->path);
	for (off = 0; off < FILE_BYTES; off += REQ_BYTES)
		if (pwrite(fd, (char *)pattern + off, REQ_BYTES, off) !=
		    REQ_BYTES)
			fail("fill", f->label, f->path);
	if (close(fd))
		fail("close", f->label, f->path);
}

/* The whole file, read back: the pattern and nothing past 1 MiB. */
static void verify(const struct pfile *f, char *buf)
{
	long off;
	int fd;

	errno = 0;
	fd = open(f->path, O_RDONLY);
	if (fd < 0)
		fail("open", f->label, f->path);
	for (off = 0; off < FILE_BYTES; off += REQ_BYTES) {
		errno = 0;
		if (pread(fd, buf, REQ_BYTES, off) != REQ_BYTES ||
		    memcmp(buf, (char *)pattern + off, REQ_BYTES))
			fail("read back", f->label, f->path);
	}
	errno = 0;
	if (pread(fd, buf, 1, FILE_BYTES) != 0)
		fail("read past 1 MiB", f->label, f->path);
	close(fd);
}

/* The idx-th CPU readers may run on. */
static int nth_cpu(int idx)
{
	int cpu, seen = 0;

	for (cpu = 0; cpu < CPU_SETSIZE; cpu++)
		if (CPU_ISSET(cpu, &cpus) && seen++ == idx)
			return cpu;
	return -1;
}

/* The child: never returns. */
static void reader(const struct pfile *f, int id, int n, int ready_w,
		   int go_r)
{
	struct slot *s = &sh->slot[id];
	/* Spread over the file, so readers do not start in lockstep. */
	long off = (FILE_BYTES / n * id) / REQ_BYTES * REQ_BYTES;
	double deadline, t = 0;
	uint64_t bytes = 0;
	char *buf;
	long i;
	int fd;
	char c;

	/*
	 * One reader per CPU from the first request, rather than after the
	 * load balancer moves one: where there are as many CPUs as readers.
	 */
	if (n <= CPU_COUNT(&cpus)) {
		cpu_set_t one;

		CPU_ZERO(&one);
		CPU_SET(nth_cpu(id), &one);
		sched_setaffinity(0, sizeof(one), &one);
	}
	fd = open(f->path, O_RDONLY);
	buf = aligned_alloc(4096, REQ_BYTES);
	if (fd < 0 || !buf) {
		fprintf(stderr, "rustprocfile-parallel: %s reader %d: open %s: %s\n",
			f->label, id, f->path, strerror(errno));
		_exit(1);
	}
	/* Fault the buffer in before the clock runs. */
	memset(buf, 0, REQ_BYTES);
	if (write(ready_w, "r", 1) != 1)
		_exit(1);
	close(ready_w);
	/* EOF when the parent closes the pipe: every reader at once. */
	while (read(go_r, &c, 1) < 0 && errno == EINTR)
		;
	deadline = sh->deadline;
	s->start = now();
	for (i = 1;; i++) {
		ssize_t r = pread(fd, buf, REQ_BYTES, off);
		uint32_t w[3];

		if (r != REQ_BYTES) {
			fprintf(stderr, "rustprocfile-parallel: %s reader %d: pread at %ld: %zd: %s\n",
				f->label, id, off, r,
				r < 0 ? strerror(errno) : "short read");
			_exit(1);
		}
		memcpy(&w[0], buf, 4);
		memcpy(&w[1], buf + REQ_BYTES / 2 + 4 * (i % 64), 4);
		memcpy(&w[2], buf + REQ_BYTES - 4, 4);
		if (w[0] != word_at(off) ||
		    w[1] != word_at(off + REQ_BYTES / 2 + 4 * (i % 64)) ||
		    w[2] != word_at(off + REQ_BYTES - 4)) {
			fprintf(stderr, "rustprocfile-parallel: %s reader %d: wrong data at %ld\n",
				f->label, id, off);
			_exit(1);
		}
		bytes += REQ_BYTES;
		off = (off + REQ_BYTES) % FILE_BYTES;
		if (i % CHECK_EVERY == 0) {
			t = now();
			if (t >= deadline)
				break;
		}
	}
	s->bytes = bytes;
	s->end = t;
	_exit(0);
}

static void stop(pid_t *pid, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		kill(pid[i], SIGKILL);
		waitpid(pid[i], NULL, 0);
	}
}

/* n readers on file f for secs seconds; exits on any failure. */
static void run(const struct pfile *f, int n, double secs,
		struct measure *m)
{
	pid_t pid[MAX_READERS];
	int ready[2], go[2], got = 0, i, status, bad = 0;
	double first, last;
	char c[MAX_READERS];

	memset(sh, 0, sizeof(*sh));
	if (pipe(ready) || pipe(go)) {
		perror("rustprocfile-parallel: pipe");
		exit(1);
	}
	fflush(stdout);
	fflush(stderr);
	for (i = 0; i < n; i++) {
		pid[i] = fork();
		if (pid[i] < 0) {
			perror("rustprocfile-parallel: fork");
			stop(pid, i);
			exit(1);
		}
		if (pid[i] == 0) {
			close(ready[0]);
			close(go[1]);
			reader(f, i, n, ready[1], go[0]);
		}
	}
	close(ready[1]);
	close(go[0]);
	/* EOF before n bytes: a reader died getting ready. */
	while (got < n) {
		ssize_t r = read(ready[0], c, n - got);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		got += r;
	}
	close(ready[0]);
	if (got < n) {
		stop(pid, n);
		fprintf(stderr, "rustprocfile-parallel: %s: %d of %d readers ready\n",
			f->label, got, n);
		exit(1);
	}
	sh->deadline = now() + secs;
	close(go[1]);
	for (i = 0; i < n; i++) {
		if (waitpid(pid[i], &status, 0) != pid[i] ||
		    !WIFEXITED(status) || WEXITSTATUS(status))
			bad++;
	}
	if (bad) {
		fprintf(stderr, "rustprocfile-parallel: %s: %d of %d readers failed\n",
			f->label, bad, n);
		exit(1);
	}
	m->bytes = 0;
	first = sh->slot[0].start;
	last = sh->slot[0].end;
	for (i = 0; i < n; i++) {
		m->bytes += sh->slot[i].bytes;
		first = sh->slot[i].start < first ? sh->slot[i].start : first;
		last = sh->slot[i].end > last ? sh->slot[i].end : last;
	}
	m->secs = last - first;
	m->mibps = m->bytes / m->secs / FILE_BYTES;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Sorts v. */
static double median(double *v, int n)
{
	qsort(v, n, sizeof(v[0]), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static void usage(void)
{
	fprintf(stderr,
		"usage: rustprocfile-parallel [-n READERS] [-s SECONDS] [-r REPS] LABEL=PATH...\n"
		"  READERS 2 to %d (default: the CPUs online), SECONDS per measurement\n"
		"  (default 2), REPS 1 to %d (default 5)\n",
		MAX_READERS, MAX_REPS);
	exit(2);
}

int main(int argc, char **argv)
{
	/* res[file][0: one reader, 1: N][rep] */
	static struct measure res[MAX_FILES][2][MAX_REPS];
	int n = 0, reps = 5, opt, i, k, r, c, ref, online;
	double secs = 2, warm;
	struct measure scratch;
	struct utsname uts;
	char head[32];
	char *buf;

	while ((opt = getopt(argc, argv, "n:s:r:h")) != -1) {
		switch (opt) {
		case 'n':
			n = atoi(optarg);
			break;
		case 's':
			secs = atof(optarg);
			break;
		case 'r':
			reps = atoi(optarg);
			break;
		default:
			usage();
		}
	}
	if (sched_getaffinity(0, sizeof(cpus), &cpus)) {
		perror("rustprocfile-parallel: sched_getaffinity");
		return 1;
	}
	online = (int)sysconf(_SC_NPROCESSORS_ONLN);
	if (!n)
		n = online;
	if (n < 2 || n > MAX_READERS || !(secs > 0) || reps < 1 ||
	    reps > MAX_REPS || optind == argc || argc - optind > MAX_FILES)
		usage();
	for (i = optind; i < argc; i++) {
		char *eq = strchr(argv[i], '=');

		if (!eq || eq == argv[i] || !eq[1])
			usage();
		*eq = '\0';
		files[nfiles].label = argv[i];
		files[nfiles++].path = eq + 1;
	}
	ref = nfiles - 1;
	for (k = 0; k < nfiles; k++)
		if (!strcmp(files[k].label, "tmpfs"))
			ref = k;
	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	pattern = aligned_alloc(4096, FILE_BYTES);
	buf = aligned_alloc(4096, REQ_BYTES);
	if (sh == MAP_FAILED || !pattern || !buf || uname(&uts)) {
		perror("rustprocfile-parallel: setup");
		return 1;
	}
	for (i = 0; i < FILE_BYTES / 4; i++)
		pattern[i] = word_at(4L * i);
	for (k = 0; k < nfiles; k++) {
		fill(&files[k]);
		verify(&files[k], buf);
	}

	/*
	 * Not counted: the first readers of a file take the faults, and under
	 * TCG the translations, that every later one finds done.
	 */
	warm = secs < 0.5 ? secs : 0.5;
	for (k = 0; k < nfiles; k++)
		run(&files[k], n, warm, &scratch);

	printf("file,readers,rep,bytes,seconds,mib_per_s\n");
	for (r = 0; r < reps; r++) {
		for (c = 0; c < 2; c++) {
			int which = (c + r) % 2, count = which ? n : 1;

			for (i = 0; i < nfiles; i++) {
				struct measure *m;

				k = (i + r) % nfiles;
				m = &res[k][which][r];
				run(&files[k], count, secs, m);
				printf("%s,%d,%d,%llu,%.6f,%.3f\n",
				       files[k].label, count, r,
				       (unsigned long long)m->bytes, m->secs,
				       m->mibps);
			}
		}
		fflush(stdout);
	}
	for (k = 0; k < nfiles; k++)
		verify(&files[k], buf);

	fprintf(stderr, "cpus: %d\n", online);
	fprintf(stderr, "# %s: %d CPUs online, %d readers, %d repetitions of %.2f s, 64 KiB preads over a 1 MiB file\n",
		uts.machine, online, n, reps, secs);
	if (n > CPU_COUNT(&cpus))
		fprintf(stderr, "# %d readers on %d CPUs: the CPUs bound the scaling, not the file\n",
			n, CPU_COUNT(&cpus));
	fprintf(stderr, "# MiB/s: median over repetitions (best); scaling: median of the per-repetition %d/1;\n",
		n);
	fprintf(stderr, "# vs %s: median (range) of the per-repetition scaling / %s's scaling, target >= %.2f\n",
		files[ref].label, files[ref].label, TARGET);
	snprintf(head, sizeof(head), "%d readers MiB/s", n);
	fprintf(stderr, "%-8s %22s %22s %8s  vs %s\n", "file", "1 reader MiB/s",
		head, "scaling", files[ref].label);
	for (k = 0; k < nfiles; k++) {
		double v[MAX_REPS], best[2], med[2], q;

		for (c = 0; c < 2; c++) {
			best[c] = 0;
			for (r = 0; r < reps; r++) {
				v[r] = res[k][c][r].mibps;
				best[c] = v[r] > best[c] ? v[r] : best[c];
			}
			med[c] = median(v, reps);
		}
		for (r = 0; r < reps; r++)
			v[r] = res[k][1][r].mibps / res[k][0][r].mibps;
		fprintf(stderr, "%-8s %10.1f (%9.1f) %10.1f (%9.1f) %8.3f", files[k].label,
			med[0], best[0], med[1], best[1], median(v, reps));
		if (k != ref) {
			for (r = 0; r < reps; r++)
				v[r] = res[k][1][r].mibps / res[k][0][r].mibps /
				       (res[ref][1][r].mibps /
					res[ref][0][r].mibps);
			q = median(v, reps);	/* sorts v */
			fprintf(stderr, "  %.3f (%.2f-%.2f) %s", q, v[0],
				v[reps - 1], q >= TARGET ? "met" : "missed");
		}
		fputc('\n', stderr);
	}
	return 0;
}
