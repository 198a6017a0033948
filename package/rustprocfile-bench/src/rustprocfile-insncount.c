// SPDX-License-Identifier: GPL-2.0
/*
 * rustprocfile-insncount: runs the same reads and writes on several files
 * between instruction-count markers, for the insn-window QEMU plugin
 * (test/insn-count/), on x86_64 and aarch64 guests.
 *
 * Each window is N pread(2) or pwrite(2) calls of one request size on one
 * file, at consecutive offsets wrapping inside a 1 MiB file that was
 * filled first (so writes overwrite allocated data, as in
 * rustprocfile-bench). A window ends with a marker, 0x5250 << 16 | id in a
 * register and an instruction the plugin watches (CPUID with EAX on
 * x86_64, HINT #0x7b with W0 on aarch64, a no-op there); the plugin prints
 * the instructions executed since the previous marker.
 * After each window (outside it, so printing is not counted) this program
 * prints
 *
 *   insncount: id=ID file=LABEL test=pread|pwrite bs=BYTES ops=N rep=R
 *
 * Files take turns inside each repetition, so a disturbance (a timer
 * interrupt, a page fault) hits them alike; the smallest count of the
 * repetitions is the figure (a disturbance only ever adds instructions).
 *
 * Then the file-size sweep: the files are refilled to 4 KiB, 16 KiB,
 * 64 KiB, 256 KiB and 1 MiB in turn, and at each size windows of N 64-byte
 * pread(2) and pwrite(2) calls at random offsets (the same sequence on
 * every file) are counted, test=randpread|randpwrite with fsize=BYTES
 * added to the line: whether the cost of a request depends on the size of
 * the file, in instructions, where timing under TCG cannot tell a small
 * growth apart from the host's noise.
 *
 * Usage: rustprocfile-insncount [-r REPS] LABEL=PATH...
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_FILES	8
#define FILE_BYTES	(1L << 20)
#define MARKER_MAGIC	0x52500000u
#define SWEEP_BS	64
#define SWEEP_OPS	1000

static const long sizes[] = { 1, 64, 4096, 65536 };
static const long file_sizes[] = { 4096, 16384, 65536, 262144, 1L << 20 };

struct target {
	const char *label;
	int fd;
};

#if defined(__x86_64__)
static void marker(unsigned int id)
{
	unsigned int a = MARKER_MAGIC | id, b, c = 0, d;

	__asm__ volatile("cpuid" : "+a"(a), "=b"(b), "+c"(c), "=d"(d));
}
#elif defined(__aarch64__)
static void marker(unsigned int id)
{
	register unsigned long x0 __asm__("x0") = MARKER_MAGIC | id;

	__asm__ volatile("hint #0x7b" : : "r"(x0) : "memory");
}
#else
#define NO_MARKER
static void marker(unsigned int id)
{
	(void)id;
}
#endif

static int fill(int fd, char *buf, long bytes)
{
	long off, chunk = bytes < 65536 ? bytes : 65536;

	if (ftruncate(fd, 0))
		return -1;
	for (off = 0; off < bytes; off += chunk)
		if (pwrite(fd, buf, chunk, off) != chunk)
			return -1;
	return 0;
}

/* One window: n requests of bs bytes; returns 0 if all were complete. */
static int window(int fd, int write, char *buf, long bs, long n,
		  unsigned int id)
{
	long off = 0, i, failed = 0;

	marker(0);
	for (i = 0; i < n; i++) {
		ssize_t r = write ? pwrite(fd, buf, bs, off) :
				    pread(fd, buf, bs, off);

		failed |= r != bs;
		off += bs;
		if (off + bs > FILE_BYTES)
			off = 0;
	}
	marker(id);
	return failed ? -1 : 0;
}

/*
 * One window of the sweep: n requests of bs bytes at random offsets,
 * aligned to bs, in a file of fsize bytes. The offsets come from a fixed
 * seed and are computed before the window, so every file gets the same
 * ones and the window counts only the calls.
 */
static int random_window(int fd, int write, char *buf, long bs, long fsize,
			 long n, unsigned int id)
{
	static long offs[SWEEP_OPS];
	unsigned long x = 12345;
	long i, failed = 0;

	if (n > SWEEP_OPS)
		return -1;
	for (i = 0; i < n; i++) {
		x = x * 6364136223846793005UL + 1442695040888963407UL;
		offs[i] = (long)((x >> 33) % (unsigned long)(fsize / bs)) * bs;
	}
	marker(0);
	for (i = 0; i < n; i++) {
		ssize_t r = write ? pwrite(fd, buf, bs, offs[i]) :
				    pread(fd, buf, bs, offs[i]);

		failed |= r != bs;
	}
	marker(id);
	return failed ? -1 : 0;
}

int main(int argc, char **argv)
{
	struct target t[MAX_FILES];
	unsigned int id = 0;
	int nt = 0, reps = 5, opt, rep, w, f;
	size_t s;
	char *buf;

#ifdef NO_MARKER
	fprintf(stderr, "rustprocfile-insncount: x86_64 and aarch64 only\n");
	return 2;
#endif
	while ((opt = getopt(argc, argv, "r:")) != -1) {
		if (opt != 'r')
			goto usage;
		reps = atoi(optarg);
	}
	if (reps < 1 || optind >= argc || argc - optind > MAX_FILES)
		goto usage;
	buf = malloc(65536);
	if (!buf)
		return 1;
	memset(buf, 'x', 65536);
	for (; optind < argc; optind++) {
		char *eq = strchr(argv[optind], '=');

		if (!eq)
			goto usage;
		*eq = '\0';
		t[nt].label = argv[optind];
		t[nt].fd = open(eq + 1, O_RDWR | O_CREAT | O_LARGEFILE, 0600);
		if (t[nt].fd < 0 || fill(t[nt].fd, buf, FILE_BYTES)) {
			fprintf(stderr, "rustprocfile-insncount: %s: %s\n",
				eq + 1, strerror(errno));
			return 1;
		}
		nt++;
	}
	for (rep = 1; rep <= reps; rep++)
		for (w = 0; w < 2; w++)
			for (s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++)
				for (f = 0; f < nt; f++) {
					long bs = sizes[s];
					long n = bs >= 65536 ? 64 : 1000;

					id++;
					if (window(t[f].fd, w, buf, bs, n, id)) {
						fprintf(stderr,
							"rustprocfile-insncount: %s: short %s\n",
							t[f].label, w ? "pwrite" : "pread");
						return 1;
					}
					printf("insncount: id=%u file=%s test=%s bs=%ld ops=%ld rep=%d\n",
					       id, t[f].label,
					       w ? "pwrite" : "pread", bs, n, rep);
					fflush(stdout);
				}
	for (s = 0; s < sizeof(file_sizes) / sizeof(file_sizes[0]); s++) {
		long fsize = file_sizes[s];

		for (f = 0; f < nt; f++)
			if (fill(t[f].fd, buf, fsize)) {
				fprintf(stderr, "rustprocfile-insncount: %s: %s\n",
					t[f].label, strerror(errno));
				return 1;
			}
		for (rep = 1; rep <= reps; rep++)
			for (w = 0; w < 2; w++)
				for (f = 0; f < nt; f++) {
					id++;
					if (random_window(t[f].fd, w, buf, SWEEP_BS,
							  fsize, SWEEP_OPS, id)) {
						fprintf(stderr,
							"rustprocfile-insncount: %s: short %s\n",
							t[f].label, w ? "pwrite" : "pread");
						return 1;
					}
					printf("insncount: id=%u file=%s test=%s bs=%d ops=%d rep=%d fsize=%ld\n",
					       id, t[f].label,
					       w ? "randpwrite" : "randpread",
					       SWEEP_BS, SWEEP_OPS, rep, fsize);
					fflush(stdout);
				}
	}
	return 0;
usage:
	fprintf(stderr, "usage: rustprocfile-insncount [-r REPS] LABEL=PATH...\n");
	return 2;
}
