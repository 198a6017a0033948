// SPDX-License-Identifier: GPL-2.0
/*
 * rustprocfile-bench: throughput and per-operation latency of file I/O on
 * several files in the same boot, typically /proc/rustfile, its C twin
 * /proc/cfile and a file in tmpfs.
 *
 * For each file size, test (seqread, seqwrite, randread, randwrite,
 * mmapread, mmapwrite) and request size, every repetition runs all files
 * interleaved, for throughput (chunks of requests timed as a whole) and for
 * latency (each request timed, the measured cost of a clock read
 * subtracted). Sequential tests use read(2)/write(2) and wrap to offset 0
 * at the end of the file; random tests use pread(2)/pwrite(2) at random
 * offsets aligned to the request size. An mmap request maps the next
 * request-sized piece of the file (shared), copies all of it out of or
 * into the mapping, and unmaps it: page faults and all, what a program
 * that maps a file to read or write it pays. Each file is filled before
 * its size's tests, so writes overwrite allocated data.
 *
 * stdout: one CSV row per (file, test, request size, file size, repetition).
 * stderr: medians, spread and the ratios of the first file to the others.
 */

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#define MAX_FILES	8
#define MAX_REPS	64
#define MAX_BUF		(1 << 20)

enum test { SEQREAD, SEQWRITE, RANDREAD, RANDWRITE, MMAPREAD, MMAPWRITE,
	    NTESTS };

static const char *const test_name[NTESTS] = {
	"seqread", "seqwrite", "randread", "randwrite", "mmapread", "mmapwrite",
};

struct bfile {
	const char *label;
	const char *path;
	int fd;
	long pos;		/* sequential position */
	uint64_t rng;		/* random offsets, same sequence per file */
	double *lat;		/* per-request latencies of one pass */
};

/* One configuration: file size, test and request size. */
struct config {
	long fsize;
	enum test test;
	long bs;
};

struct result {
	double mbps;
	double kops;
	double p50;
	double p99;
};

static struct bfile files[MAX_FILES];
static int nfiles;
static char *buf;
static long max_ops = 2000;
static long min_ops = 16;
static long byte_budget = 8L << 20;
static double clock_cost;

static uint64_t rng(uint64_t *state)
{
	*state ^= *state << 13;
	*state ^= *state >> 7;
	*state ^= *state << 17;
	return *state;
}

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static void die(const char *what, const char *path)
{
	fprintf(stderr, "rustprocfile-bench: %s %s: %s\n", what, path,
		strerror(errno));
	exit(1);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Median cost of one clock_gettime(), subtracted from latencies. */
static double calibrate_clock(void)
{
	static double d[1001];
	int i;

	for (i = 0; i < 1001; i++) {
		double t0 = now_ns();

		d[i] = now_ns() - t0;
	}
	qsort(d, 1001, sizeof(d[0]), cmp_double);
	return d[500];
}

static void fill(struct bfile *f, long fsize)
{
	long done = 0;

	if (f->fd >= 0)
		close(f->fd);
	f->fd = open(f->path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (f->fd < 0)
		die("open", f->path);
	while (done < fsize) {
		long n = fsize - done < 65536 ? fsize - done : 65536;

		if (pwrite(f->fd, buf, n, done) != n)
			die("fill", f->path);
		done += n;
	}
}

static long ops_for(long bs)
{
	long n = byte_budget / bs;

	if (n > max_ops)
		n = max_ops;
	if (n < min_ops)
		n = min_ops;
	return n;
}

/* Maps the next piece of the file, copies it out or in, unmaps it. */
static void one_map(struct bfile *f, const struct config *c)
{
	char *m;

	if (f->pos + c->bs > c->fsize)
		f->pos = 0;
	m = mmap(NULL, c->bs, PROT_READ | PROT_WRITE, MAP_SHARED, f->fd,
		 f->pos);
	if (m == MAP_FAILED)
		die("mmap", f->path);
	if (c->test == MMAPREAD)
		memcpy(buf, m, c->bs);
	else
		memcpy(m, buf, c->bs);
	if (munmap(m, c->bs))
		die("munmap", f->path);
	f->pos += c->bs;
}

/* One request at the file's sequential or a random position. */
static void one_op(struct bfile *f, const struct config *c)
{
	ssize_t r;
	off_t off;

	switch (c->test) {
	case MMAPREAD:
	case MMAPWRITE:
		one_map(f, c);
		return;
	case SEQREAD:
	case SEQWRITE:
		if (f->pos + c->bs > c->fsize) {
			if (lseek(f->fd, 0, SEEK_SET) != 0)
				die("lseek", f->path);
			f->pos = 0;
		}
		r = c->test == SEQREAD ? read(f->fd, buf, c->bs) :
					 write(f->fd, buf, c->bs);
		f->pos += c->bs;
		break;
	default:
		off = (off_t)(rng(&f->rng) % (uint64_t)(c->fsize / c->bs)) *
		      c->bs;
		r = c->test == RANDREAD ? pread(f->fd, buf, c->bs, off) :
					  pwrite(f->fd, buf, c->bs, off);
		break;
	}
	if (r != c->bs)
		die(test_name[c->test], f->path);
}

static void rewind_all(const struct config *c)
{
	int k;

	for (k = 0; k < nfiles; k++) {
		if (lseek(files[k].fd, 0, SEEK_SET) != 0)
			die("lseek", files[k].path);
		files[k].pos = 0;
		files[k].rng = 0x9e3779b97f4a7c15ULL ^ (uint64_t)c->bs;
	}
}

/*
 * The file that takes the k-th turn in round i. A request costs more right
 * after a heavy one (a tmpfs read leaves QEMU's and the host's caches
 * colder than a proc file read does), so what runs before each file must
 * be the same for all: rounds go through the n rotations of the file order
 * and then the n rotations of the reversed order. With 2 or 3 files every
 * file then follows every file (itself included for 2) equally often over
 * 2n rounds. With rotations alone, one proc file would follow tmpfs more
 * often than the other and pay for tmpfs's colder caches more often, a
 * difference between the files that would come from the order alone.
 */
static int turn(long i, int k)
{
	/*
	 * With 4 files (the program takes up to MAX_FILES) the rotations
	 * leave pairs out: in 0 1 2 3 and 3 2 1 0, file 0
	 * never follows file 2. These 3 rounds (found by search) hold each of
	 * the 12 ordered pairs once, the pairs across rounds included. (The
	 * ROUNDS throughput rounds are 5 cycles of them and one more round;
	 * the latency loop's thousands of requests balance out.)
	 */
	static const int four[3][4] = {
		{ 0, 1, 2, 3 }, { 0, 2, 1, 3 }, { 1, 0, 3, 2 },
	};
	int b;

	if (nfiles == 4)
		return four[i % 3][k];
	b = i % (2 * nfiles);
	return b < nfiles ? (k + b) % nfiles : (3 * nfiles - b - k) % nfiles;
}

/*
 * Runs one configuration on all files, interleaved so that every file sees
 * the same conditions (a busy host slows all of them alike): throughput
 * from ROUNDS chunks of requests per file, the files taking turns, each
 * chunk timed as a whole, the fastest chunk counting; then latencies, the
 * files taking turns request by request.
 */
#define ROUNDS 16

static double median(double *v, int n)
{
	qsort(v, n, sizeof(v[0]), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static void run(const struct config *c, long ops, int rep,
		struct result *res)
{
	double t[MAX_FILES][ROUNDS];
	long chunk = (ops + ROUNDS - 1) / ROUNDS;
	long i, j;
	int k, f, round;

	rewind_all(c);
	for (round = 0; round < ROUNDS; round++) {
		for (k = 0; k < nfiles; k++) {
			double t0;

			f = turn(round + rep, k);
			t0 = now_ns();
			for (j = 0; j < chunk; j++)
				one_op(&files[f], c);
			t[f][round] = now_ns() - t0;
		}
	}
	rewind_all(c);
	for (i = 0; i < ops; i++) {
		for (k = 0; k < nfiles; k++) {
			double t0, d;

			f = turn(i + rep, k);
			t0 = now_ns();
			one_op(&files[f], c);
			d = now_ns() - t0 - clock_cost;
			files[f].lat[i] = d > 0 ? d : 0;
		}
	}
	for (k = 0; k < nfiles; k++) {
		/*
		 * The fastest chunk: losing the CPU, or a host core slowed
		 * by its other thread, only ever adds time.
		 */
		double tc = t[k][0], *lat = files[k].lat;

		for (round = 1; round < ROUNDS; round++)
			tc = t[k][round] < tc ? t[k][round] : tc;
		tc /= 1e9;

		res[k].mbps = (double)chunk * c->bs / tc / 1e6;
		res[k].kops = chunk / tc / 1e3;
		qsort(lat, ops, sizeof(double), cmp_double);
		res[k].p50 = lat[ops / 2];
		res[k].p99 = lat[(ops * 99) / 100];
	}
}

static void usage(void)
{
	fprintf(stderr,
		"usage: rustprocfile-bench [-r REPS] [-a ACCEL] [-n MAXOPS] [-b BYTES] [LABEL=PATH...]\n"
		"default files: rust=/proc/rustfile c=/proc/cfile tmpfs=/tmp/rustprocfile-bench.tmp\n");
	exit(2);
}

static const long req_sizes[] = { 1, 64, 4096, 65536, 1048576 };
/* Mappings are of whole pages. */
static const long map_sizes[] = { 4096, 65536, 1048576 };
static const long file_sizes[] = { 4096, 16384, 65536, 262144, 1048576 };
static const long sweep_bs[] = { 64, 4096 };

#define ARRAY_LEN(a) ((int)(sizeof(a) / sizeof((a)[0])))

/*
 * Request size sweep at 1 MiB (with mappings of whole pages), then random
 * I/O over the file sizes.
 */
static int make_configs(struct config *cfg)
{
	int n = 0, s, t, b;

	for (s = 0; s < ARRAY_LEN(file_sizes); s++) {
		long fsize = file_sizes[s];

		for (t = 0; t < NTESTS; t++) {
			if (t == MMAPREAD || t == MMAPWRITE) {
				for (b = 0; fsize == (1 << 20) &&
				     b < ARRAY_LEN(map_sizes); b++)
					cfg[n++] = (struct config){
						fsize, (enum test)t, map_sizes[b] };
				continue;
			}
			if (fsize == (1 << 20)) {
				for (b = 0; b < ARRAY_LEN(req_sizes); b++)
					cfg[n++] = (struct config){
						fsize, (enum test)t, req_sizes[b] };
				continue;
			}
			if (t != RANDREAD && t != RANDWRITE)
				continue;
			for (b = 0; b < ARRAY_LEN(sweep_bs); b++)
				if (sweep_bs[b] <= fsize)
					cfg[n++] = (struct config){
						fsize, (enum test)t, sweep_bs[b] };
		}
	}
	return n;
}

int main(int argc, char **argv)
{
	static struct result res[128][MAX_FILES][MAX_REPS];
	static struct config cfg[128];
	const char *accel = "unknown";
	struct utsname uts;
	int reps = 5, ncfg, opt, i, k, r;

	while ((opt = getopt(argc, argv, "r:a:n:b:h")) != -1) {
		switch (opt) {
		case 'r':
			reps = atoi(optarg);
			break;
		case 'a':
			accel = optarg;
			break;
		case 'n':
			max_ops = atol(optarg);
			break;
		case 'b':
			byte_budget = atol(optarg);
			break;
		default:
			usage();
		}
	}
	if (reps < 1 || reps > MAX_REPS || max_ops < min_ops || byte_budget < 1)
		usage();
	for (i = optind; i < argc && nfiles < MAX_FILES; i++) {
		char *eq = strchr(argv[i], '=');

		if (!eq)
			usage();
		*eq = '\0';
		files[nfiles].label = argv[i];
		files[nfiles].path = eq + 1;
		files[nfiles++].fd = -1;
	}
	if (!nfiles) {
		static const char *const def[3][2] = {
			{ "rust", "/proc/rustfile" },
			{ "c", "/proc/cfile" },
			{ "tmpfs", "/tmp/rustprocfile-bench.tmp" },
		};

		for (k = 0; k < 3; k++) {
			files[nfiles].label = def[k][0];
			files[nfiles].path = def[k][1];
			files[nfiles++].fd = -1;
		}
	}
	buf = aligned_alloc(4096, MAX_BUF);
	if (!buf)
		return 1;
	for (k = 0; k < nfiles; k++) {
		files[k].lat = calloc(max_ops, sizeof(double));
		if (!files[k].lat)
			return 1;
	}
	for (i = 0; i < MAX_BUF; i++)
		buf[i] = (char)('a' + i % 26);
	if (uname(&uts))
		return 1;
	clock_cost = calibrate_clock();
	ncfg = make_configs(cfg);

	printf("arch,accel,file,test,req_bytes,file_bytes,rep,ops,mb_per_s,kops_per_s,p50_ns,p99_ns\n");
	/*
	 * Repetitions outermost: each configuration is measured at REPS times
	 * spread over the whole run, so a slow phase of the host does not
	 * bias one file size or request size.
	 */
	for (r = 0; r < reps; r++) {
		for (i = 0; i < ncfg; i++) {
			struct config *c = &cfg[i];
			long ops = ops_for(c->bs);
			struct result x[MAX_FILES];

			if (i == 0 || c->fsize != cfg[i - 1].fsize)
				for (k = 0; k < nfiles; k++)
					fill(&files[k], c->fsize);
			if (r == 0)	/* warm-up */
				run(c, ops < 64 ? ops : 64, 0, x);
			run(c, ops, r, x);
			for (k = 0; k < nfiles; k++) {
				res[i][k][r] = x[k];
				printf("%s,%s,%s,%s,%ld,%ld,%d,%ld,%.3f,%.3f,%.0f,%.0f\n",
				       uts.machine, accel, files[k].label,
				       test_name[c->test], c->bs, c->fsize, r,
				       ops, x[k].mbps, x[k].kops, x[k].p50,
				       x[k].p99);
			}
		}
		fflush(stdout);
	}

	fprintf(stderr, "# %s, accel %s, %d repetitions, clock_gettime %.0f ns (subtracted from latencies)\n",
		uts.machine, accel, reps, clock_cost);
	fprintf(stderr, "# throughput MB/s and p50 latency ns: medians over repetitions; thr/X, p50/X: median over repetitions of the\n");
	fprintf(stderr, "# per-repetition ratio %s/X (files interleaved in each repetition), +-: half the range of that ratio\n",
		files[0].label);
	fprintf(stderr, "%-9s %7s %7s", "test", "req", "file");
	for (k = 0; k < nfiles; k++)
		fprintf(stderr, " %8s MB/s %7s", files[k].label, "p50");
	for (k = 1; k < nfiles; k++)
		fprintf(stderr, "  thr/%-5s     p50/%-5s   ", files[k].label,
			files[k].label);
	fputc('\n', stderr);
	for (i = 0; i < ncfg; i++) {
		double v[MAX_REPS], w[MAX_REPS], mt, mp;

		fprintf(stderr, "%-9s %7ld %7ld", test_name[cfg[i].test],
			cfg[i].bs, cfg[i].fsize);
		for (k = 0; k < nfiles; k++) {
			for (r = 0; r < reps; r++) {
				v[r] = res[i][k][r].mbps;
				w[r] = res[i][k][r].p50;
			}
			fprintf(stderr, " %13.2f %7.0f", median(v, reps),
				median(w, reps));
		}
		for (k = 1; k < nfiles; k++) {
			for (r = 0; r < reps; r++) {
				struct result *a = &res[i][0][r];
				struct result *b = &res[i][k][r];

				v[r] = a->mbps / b->mbps;
				w[r] = b->p50 > 0 ? a->p50 / b->p50 : 0;
			}
			mt = median(v, reps);	/* sorts v */
			mp = median(w, reps);
			fprintf(stderr, "  %5.3f+-%.3f %5.3f+-%.3f", mt,
				(v[reps - 1] - v[0]) / 2, mp,
				(w[reps - 1] - w[0]) / 2);
		}
		fputc('\n', stderr);
	}
	for (k = 0; k < nfiles; k++)
		close(files[k].fd);
	return 0;
}
