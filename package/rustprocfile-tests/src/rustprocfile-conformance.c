// SPDX-License-Identifier: GPL-2.0
/*
 * Differential conformance test: /proc/rustfile against a regular file in
 * tmpfs, under random sequences of file operations. Prints KTAP.
 *
 * Usage: rustprocfile-conformance [--seeds N,N,...] [--seed N] [--ops N]
 *            [--path FILE] [--ref-dir DIR] [--max-size N]
 *            [--minimise-secs N] [--no-deviations]
 *
 * Every operation runs on both files; return values, errno, the file
 * positions of all open descriptors, st_size (fstat and stat) and the whole
 * contents must agree after each step. On Linux 6.18 each file is also
 * mapped shared for the whole run, and the operations include loads and
 * stores through that mapping (a SIGBUS ends one, at the same byte on
 * both), msync(2), remapping, and stores through a private mapping, which
 * the file must not see. One KTAP test per seed. On a
 * divergence, the sequence is shrunk (delta debugging, bounded in time) and
 * the shortest sequence found is printed as '#' lines.
 *
 * Where procfs makes tmpfs behaviour impossible, the random sequences leave
 * the operation or field out, and one KTAP test per documented deviation
 * checks that the result is still the documented one; it is reported as
 * '# SKIP <name>'. The names are those of the section "Differences from a
 * tmpfs file" of the README; keep both in step.
 *
 * The module caps the file at max_size bytes and tmpfs has no per-file cap:
 * the harness applies the module's rule to the reference explicitly (see
 * ref_write()); each seed reports how often the rule applied.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <time.h>
#include <unistd.h>

#include "module-param.h"

/* Descriptors open at once on each file. */
#define NSLOTS 4
/* Largest read or write of one operation. */
#define MAX_IO (64 * 1024)
/* The largest file offset of both filesystems (MAX_LFS_FILESIZE, 64-bit). */
#define FS_LIMIT LLONG_MAX
#define PAGE 4096LL
/* f_type of tmpfs (linux/magic.h). */
#define TMPFS_MAGIC 0x01021994
/* Files up to this size are compared in full after every step. */
#define FULL_CHECK_MAX (16LL << 20)

enum kind { OP_OPEN, OP_CLOSE, OP_READ, OP_WRITE, OP_PREAD, OP_PWRITE,
	    OP_LSEEK, OP_FSTAT, OP_STAT, OP_FTRUNCATE, OP_MLOAD, OP_MSTORE,
	    OP_MSYNC, OP_REMAP, OP_PRIVATE };

/* Where an operation's offset is measured from, resolved when it runs. */
enum base { B_ABS, B_SIZE, B_MAX };

struct op {
	enum kind kind;
	int slot;
	int flags;		/* OP_OPEN */
	int whence;		/* OP_LSEEK */
	enum base base;
	long long off;
	size_t len;
	unsigned int data_seed;	/* content of written bytes */
};

static const char *path = "/proc/rustfile";
static char ref_path[4096];
static long long max_size;
static long nops = 2000;
static double minimise_secs = 20;

/* One side of the comparison: the proc file or the reference. */
struct side {
	const char *path;
	int fd[NSLOTS];
	int check_fd;		/* read-only, for the contents check */
	int map_fd;		/* read-write, for the shared mapping */
	unsigned char *map;	/* shared mapping of map_len bytes, or NULL */
};

/*
 * Whether the file can be mapped (Linux 6.18; on 6.12 mmap(2) is a
 * documented deviation), and the length of the mappings: max_size and one
 * page more, so that accesses reach past any end of file.
 */
static int mmap_ok;
static size_t map_len;

static struct side proc_side, ref_side;
static int slot_flags[NSLOTS];
static unsigned char *buf_p, *buf_r, *wbuf;

/* How often the capacity rule applied during the current run. */
static long cap_short, cap_nospc;

/* Accesses through mappings in the current run, and how many faulted. */
static long map_access, map_sigbus;

/* Description of the first divergence of the current run. */
static char diverged[512];

static unsigned long long rng_state;

/* splitmix64: small, and the same sequence on every architecture. */
static unsigned long long rnd(void)
{
	unsigned long long z = (rng_state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static long long rnd_below(long long n)
{
	return (long long)(rnd() % (unsigned long long)n);
}

static void fatal(const char *fmt, ...)
{
	va_list ap;

	printf("# fatal: ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	exit(2);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int diverge(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(diverged, sizeof(diverged), fmt, ap);
	va_end(ap);
	return -1;
}

/* --- generation ------------------------------------------------------- */

/*
 * An offset, biased towards the interesting places: the first pages, the
 * end of the file, max_size, and values the VFS must reject or clamp.
 */
static void gen_offset(struct op *op)
{
	static const long long edges[] = { -1, -PAGE, LLONG_MIN, LLONG_MAX,
					   LLONG_MAX - 1, LLONG_MAX - PAGE,
					   LLONG_MAX / 2 };
	long long r = rnd_below(100);

	op->base = B_ABS;
	if (r < 50) {
		op->off = rnd_below(3 * PAGE + 16);
	} else if (r < 80) {
		op->base = B_SIZE;
		op->off = rnd_below(2 * PAGE + 1) - PAGE;
		if (rnd_below(2))
			op->off = rnd_below(9) - 4;
	} else if (r < 88) {
		/* Rare: a file that reaches max_size makes every check read it. */
		op->base = B_MAX;
		op->off = rnd_below(2 * PAGE + 1) - PAGE;
		if (rnd_below(2))
			op->off = rnd_below(9) - 4;
	} else {
		op->off = edges[rnd_below(sizeof(edges) / sizeof(edges[0]))];
	}
}

static size_t gen_len(void)
{
	long long r = rnd_below(100);

	if (r < 10)
		return 0;
	if (r < 50)
		return (size_t)rnd_below(16) + 1;
	if (r < 95)
		return (size_t)rnd_below(3 * PAGE) + 1;
	return (size_t)rnd_below(MAX_IO) + 1;
}

static void gen_op(struct op *op)
{
	static const int modes[] = { O_RDWR, O_RDONLY, O_WRONLY };
	static const int whences[] = { SEEK_SET, SEEK_CUR, SEEK_END, SEEK_DATA,
				       SEEK_HOLE, SEEK_HOLE + 1, -1, 1000 };
	long long r = rnd_below(mmap_ok ? 117 : 104);

	memset(op, 0, sizeof(*op));
	op->slot = (int)rnd_below(NSLOTS);
	op->data_seed = (unsigned int)rnd();
	if (r < 8) {
		op->kind = OP_OPEN;
		op->flags = modes[rnd_below(3)];
		if (rnd_below(3) == 0)
			op->flags |= O_APPEND;
		/* O_TRUNC keeps the file small, which keeps the checks cheap. */
		if (rnd_below(4) == 0)
			op->flags |= O_TRUNC;
	} else if (r < 12) {
		op->kind = OP_CLOSE;
	} else if (r < 25) {
		op->kind = OP_READ;
		op->len = gen_len();
	} else if (r < 45) {
		op->kind = OP_WRITE;
		op->len = gen_len();
	} else if (r < 55) {
		op->kind = OP_PREAD;
		op->len = gen_len();
		gen_offset(op);
	} else if (r < 72) {
		op->kind = OP_PWRITE;
		op->len = gen_len();
		gen_offset(op);
	} else if (r < 94) {
		op->kind = OP_LSEEK;
		op->whence = whences[rnd_below(rnd_below(4) ? 5 : 8)];
		gen_offset(op);
		/* SEEK_CUR and SEEK_END want small relative offsets too. */
		if (op->base == B_ABS && op->off >= 0 && op->off < 3 * PAGE &&
		    rnd_below(2))
			op->off -= 2 * PAGE;
	} else if (r < 97) {
		op->kind = OP_FSTAT;
	} else if (r < 100) {
		op->kind = OP_STAT;
	} else if (r < 104) {
		op->kind = OP_FTRUNCATE;
		gen_offset(op);
	} else if (r < 109) {
		op->kind = OP_MLOAD;
		op->len = gen_len();
		gen_offset(op);
	} else if (r < 114) {
		op->kind = OP_MSTORE;
		op->len = gen_len();
		gen_offset(op);
	} else if (r < 115) {
		op->kind = OP_MSYNC;
		op->flags = rnd_below(2) ? MS_SYNC : MS_ASYNC;
	} else if (r < 116) {
		op->kind = OP_REMAP;
	} else {
		op->kind = OP_PRIVATE;
		op->len = gen_len();
		gen_offset(op);
	}
}

/* --- printing --------------------------------------------------------- */

static const char *flags_str(int flags)
{
	static char s[64];

	snprintf(s, sizeof(s), "%s%s%s",
		 (flags & O_ACCMODE) == O_RDWR ? "O_RDWR" :
		 (flags & O_ACCMODE) == O_WRONLY ? "O_WRONLY" : "O_RDONLY",
		 flags & O_APPEND ? "|O_APPEND" : "",
		 flags & O_TRUNC ? "|O_TRUNC" : "");
	return s;
}

static const char *whence_str(int w)
{
	static const char *const names[] = { "SEEK_SET", "SEEK_CUR", "SEEK_END",
					     "SEEK_DATA", "SEEK_HOLE" };
	static char s[16];

	if (w >= 0 && w <= SEEK_HOLE)
		return names[w];
	snprintf(s, sizeof(s), "%d", w);
	return s;
}

static const char *off_str(const struct op *op)
{
	static char s[64];

	if (op->base == B_SIZE)
		snprintf(s, sizeof(s), "size%+lld", op->off);
	else if (op->base == B_MAX)
		snprintf(s, sizeof(s), "max_size%+lld", op->off);
	else
		snprintf(s, sizeof(s), "%lld", op->off);
	return s;
}

static void print_op(const char *prefix, int i, const struct op *op)
{
	printf("%s%d: fd%d ", prefix, i, op->slot);
	switch (op->kind) {
	case OP_OPEN:
		printf("open(%s)\n", flags_str(op->flags));
		break;
	case OP_CLOSE:
		printf("close()\n");
		break;
	case OP_READ:
		printf("read(%zu)\n", op->len);
		break;
	case OP_WRITE:
		printf("write(%zu bytes, data seed %u)\n", op->len, op->data_seed);
		break;
	case OP_PREAD:
		printf("pread(%zu, %s)\n", op->len, off_str(op));
		break;
	case OP_PWRITE:
		printf("pwrite(%zu bytes, %s, data seed %u)\n", op->len,
		       off_str(op), op->data_seed);
		break;
	case OP_LSEEK:
		printf("lseek(%s, %s)\n", off_str(op), whence_str(op->whence));
		break;
	case OP_FSTAT:
		printf("fstat()\n");
		break;
	case OP_STAT:
		printf("stat(path)\n");
		break;
	case OP_FTRUNCATE:
		printf("ftruncate(%s)\n", off_str(op));
		break;
	case OP_MLOAD:
		printf("load %zu bytes at %s through the mapping\n", op->len,
		       off_str(op));
		break;
	case OP_MSTORE:
		printf("store %zu bytes at %s through the mapping, data seed %u\n",
		       op->len, off_str(op), op->data_seed);
		break;
	case OP_MSYNC:
		printf("msync(%s)\n", op->flags == MS_SYNC ? "MS_SYNC" : "MS_ASYNC");
		break;
	case OP_REMAP:
		printf("munmap and mmap again\n");
		break;
	case OP_PRIVATE:
		printf("store %zu bytes at %s through a private mapping, data seed %u\n",
		       op->len, off_str(op), op->data_seed);
		break;
	}
}

/* --- execution -------------------------------------------------------- */

/* Result of one call: the return value, and errno when it is -1. */
struct res {
	long long rc;
	int err;
};

static struct res result(long long rc)
{
	struct res r = { rc, rc < 0 ? errno : 0 };

	return r;
}

static int same(const char *what, struct res p, struct res r)
{
	if (p.rc == r.rc && p.err == r.err)
		return 0;
	return diverge("%s: proc returned %lld (%s), tmpfs %lld (%s)", what,
		       p.rc, p.rc < 0 ? strerror(p.err) : "ok",
		       r.rc, r.rc < 0 ? strerror(r.err) : "ok");
}

static long long file_size(int fd)
{
	struct stat st;

	if (fstat(fd, &st))
		fatal("fstat: %s", strerror(errno));
	return st.st_size;
}

/* Resolves an operation's offset against the reference file. */
static long long resolve(const struct op *op)
{
	long long base = 0;

	if (op->base == B_SIZE)
		base = file_size(ref_side.check_fd);
	else if (op->base == B_MAX)
		base = max_size;
	return base + op->off;
}

static void fill(unsigned char *b, size_t len, unsigned int seed)
{
	unsigned long long saved = rng_state;
	size_t i;

	/* Written data comes from its own stream, so shrinking keeps it. */
	rng_state = seed;
	for (i = 0; i < len; i += 8) {
		unsigned long long v = rnd();

		memcpy(b + i, &v, len - i < 8 ? len - i : 8);
	}
	rng_state = saved;
}

/*
 * The capacity rule, applied to the reference (tmpfs has no per-file cap).
 * A write whose effective offset p (see below) is at or past 2^31 - 1,
 * procfs's largest file size (MAX_NON_LFS, its s_maxbytes, which also
 * bounds truncate(2)), fails with EFBIG, whatever the open flags; a
 * module's max_size is never larger, so one crossing it is cut short by
 * the next rule. The module writes at most up to max_size: a write of
 * n > 0 bytes whose effective offset p (the end of the file with O_APPEND)
 * is at or past max_size fails with ENOSPC and writes nothing; one that
 * crosses max_size writes max_size - p bytes and returns that count. Checks the VFS makes
 * before any filesystem code runs take precedence and are left to tmpfs:
 * EBADF for a descriptor not open for writing, EINVAL for a negative offset
 * or offset + n overflowing (from the given offset, or the file position
 * for write(2), even with O_APPEND), EFBIG at the filesystem's limit.
 *
 * @off is the pwrite offset, or -1 with @positional false for write(2).
 */
static struct res ref_write(int slot, const unsigned char *b, size_t n,
			    int positional, long long off)
{
	int fd = ref_side.fd[slot];
	int fl = slot_flags[slot];
	long long check, p;

	if (n == 0 || (fl & O_ACCMODE) == O_RDONLY)
		goto plain;
	check = positional ? off : lseek(fd, 0, SEEK_CUR);
	if (check < 0 || check > LLONG_MAX - (long long)n)
		goto plain;
	p = (fl & O_APPEND) ? file_size(fd) : check;
	if (p >= FS_LIMIT)
		goto plain;
	if (p >= PROC_LIMIT) {
		errno = EFBIG;
		return result(-1);
	}
	if (p >= max_size) {
		cap_nospc++;
		errno = ENOSPC;
		return result(-1);
	}
	if (p + (long long)n > max_size) {
		cap_short++;
		n = (size_t)(max_size - p);
	}
plain:
	return result(positional ? pwrite(fd, b, n, off) : write(fd, b, n));
}

static void close_slot(int s)
{
	if (proc_side.fd[s] >= 0)
		close(proc_side.fd[s]);
	if (ref_side.fd[s] >= 0)
		close(ref_side.fd[s]);
	proc_side.fd[s] = ref_side.fd[s] = -1;
}

static int compare_stat(const char *what, const struct stat *p,
			const struct stat *r)
{
	/*
	 * st_blocks, st_blksize, the timestamps, st_dev and st_ino are
	 * documented deviations (or naturally differ), checked by name in
	 * run_deviations().
	 */
	if (p->st_size != r->st_size)
		return diverge("%s: st_size proc %lld, tmpfs %lld", what,
			       (long long)p->st_size, (long long)r->st_size);
	if ((p->st_mode & S_IFMT) != (r->st_mode & S_IFMT))
		return diverge("%s: file type proc %#o, tmpfs %#o", what,
			       p->st_mode & S_IFMT, r->st_mode & S_IFMT);
	if (p->st_nlink != r->st_nlink)
		return diverge("%s: st_nlink proc %lu, tmpfs %lu", what,
			       (unsigned long)p->st_nlink,
			       (unsigned long)r->st_nlink);
	return 0;
}

/* --- mappings --------------------------------------------------------- */

static sigjmp_buf bus_jmp;

static void on_sigbus(int sig)
{
	(void)sig;
	siglongjmp(bus_jmp, 1);
}

/*
 * Copies @n bytes a byte at a time, so that a SIGBUS stops the copy at the
 * same byte on both sides; returns the number of bytes copied.
 */
static size_t copy_bytes(volatile unsigned char *dst,
			 const volatile unsigned char *src, size_t n)
{
	volatile size_t i = 0;

	if (sigsetjmp(bus_jmp, 1) == 0)
		for (; i < n; i++)
			dst[i] = src[i];
	else
		map_sigbus++;
	return i;
}

static void map_side(struct side *sd)
{
	void *m = mmap(NULL, map_len, PROT_READ | PROT_WRITE, MAP_SHARED,
		       sd->map_fd, 0);

	if (m == MAP_FAILED)
		fatal("mmap %s: %s", sd->path, strerror(errno));
	sd->map = m;
}

static void unmap_side(struct side *sd)
{
	if (sd->map && munmap(sd->map, map_len))
		fatal("munmap %s: %s", sd->path, strerror(errno));
	sd->map = NULL;
}

/*
 * Clips an access through a mapping to the mapping; returns 0 for none. A
 * store (@store) is kept out of the bytes past the end of the file in its
 * last page: Linux does not define whether an extension of the file shows
 * them. One that starts there moves to the next page, where it faults.
 */
static size_t clip(const struct op *op, int store, long long *at)
{
	long long off = resolve(op), size, end;
	size_t n = op->len;

	if (off < 0 || off >= (long long)map_len || n == 0)
		return 0;
	end = off + (long long)n > (long long)map_len ? (long long)map_len :
							 off + (long long)n;
	if (store) {
		size = file_size(ref_side.check_fd);
		if (off < size) {
			end = end < size ? end : size;
		} else if (off < (size + PAGE - 1) / PAGE * PAGE) {
			off = (size + PAGE - 1) / PAGE * PAGE;
			if (off >= (long long)map_len)
				return 0;
			end = off + 1;
		}
	}
	*at = off;
	return (size_t)(end - off);
}

/* Compares what copy_bytes() copied on both sides. */
static int same_copy(const char *what, size_t pn, size_t rn,
		     const unsigned char *p, const unsigned char *r)
{
	size_t i;

	map_access++;

	if (pn != rn)
		return diverge("%s: proc copied %zu bytes before SIGBUS, tmpfs %zu",
			       what, pn, rn);
	if (!p || !memcmp(p, r, pn))
		return 0;
	for (i = 0; p[i] == r[i]; i++)
		;
	return diverge("%s: data differs at byte %zu of %zu: proc %#x, tmpfs %#x",
		       what, i, pn, p[i], r[i]);
}

static int do_map_op(const struct op *op)
{
	struct res p, r;
	long long at = 0;
	size_t n, pn, rn, done;
	unsigned char *pm, *rm;
	int rc;

	switch (op->kind) {
	case OP_MLOAD:
		n = clip(op, 0, &at);
		n = n < MAX_IO ? n : MAX_IO;
		pn = copy_bytes(buf_p, proc_side.map + at, n);
		rn = copy_bytes(buf_r, ref_side.map + at, n);
		return same_copy("load", pn, rn, buf_p, buf_r);
	case OP_MSTORE:
		n = clip(op, 1, &at);
		n = n < MAX_IO ? n : MAX_IO;
		fill(wbuf, n, op->data_seed);
		pn = copy_bytes(proc_side.map + at, wbuf, n);
		rn = copy_bytes(ref_side.map + at, wbuf, n);
		return same_copy("store", pn, rn, NULL, NULL);
	case OP_MSYNC:
		p = result(msync(proc_side.map, map_len, op->flags));
		r = result(msync(ref_side.map, map_len, op->flags));
		return same("msync", p, r);
	case OP_REMAP:
		unmap_side(&proc_side);
		unmap_side(&ref_side);
		map_side(&proc_side);
		map_side(&ref_side);
		return 0;
	default:
		break;
	}
	/* OP_PRIVATE: the stores stay in the mapping; check_state() checks
	 * that the files did not change. */
	n = clip(op, 1, &at);
	n = n < MAX_IO ? n : MAX_IO;
	pm = mmap(NULL, map_len, PROT_READ | PROT_WRITE, MAP_PRIVATE,
		  proc_side.check_fd, 0);
	rm = mmap(NULL, map_len, PROT_READ | PROT_WRITE, MAP_PRIVATE,
		  ref_side.check_fd, 0);
	if (pm == MAP_FAILED || rm == MAP_FAILED)
		fatal("private mmap: %s", strerror(errno));
	fill(wbuf, n, op->data_seed);
	pn = copy_bytes(pm + at, wbuf, n);
	rn = copy_bytes(rm + at, wbuf, n);
	rc = same_copy("private store", pn, rn, NULL, NULL);
	/* The private view: the stores over the file's data. */
	for (done = 0; !rc && done < map_len; done += pn) {
		n = map_len - done < MAX_IO ? map_len - done : MAX_IO;
		pn = copy_bytes(buf_p, pm + done, n);
		rn = copy_bytes(buf_r, rm + done, n);
		rc = same_copy("private load", pn, rn, buf_p, buf_r);
		if (pn < n)
			break;
	}
	munmap(pm, map_len);
	munmap(rm, map_len);
	return rc;
}

/*
 * ftruncate(2), with the module's cap applied to the reference: a size
 * past max_size fails with EFBIG, after the checks of the VFS (EINVAL for
 * a negative size or a descriptor not open for writing).
 */
static struct res ref_ftruncate(int slot, long long size)
{
	if (size > max_size && (slot_flags[slot] & O_ACCMODE) != O_RDONLY) {
		errno = EFBIG;
		return result(-1);
	}
	return result(ftruncate(ref_side.fd[slot], size));
}

static int do_op(const struct op *op)
{
	int s = op->slot;
	int pfd = proc_side.fd[s], rfd = ref_side.fd[s];
	struct res p, r;
	long long off;

	if (op->kind >= OP_MLOAD)
		return do_map_op(op);
	if (op->kind != OP_OPEN && op->kind != OP_STAT && pfd < 0)
		return 0;	/* slot closed: the op is a no-op, on both */
	switch (op->kind) {
	case OP_OPEN:
		close_slot(s);
		slot_flags[s] = op->flags;
		p = result(proc_side.fd[s] = open(path, op->flags));
		r = result(ref_side.fd[s] = open(ref_path, op->flags));
		/* Descriptor numbers differ; only success and errno count. */
		p.rc = p.rc >= 0 ? 0 : p.rc;
		r.rc = r.rc >= 0 ? 0 : r.rc;
		return same("open", p, r);
	case OP_CLOSE:
		p = result(close(pfd));
		r = result(close(rfd));
		proc_side.fd[s] = ref_side.fd[s] = -1;
		return same("close", p, r);
	case OP_READ:
		p = result(read(pfd, buf_p, op->len));
		r = result(read(rfd, buf_r, op->len));
		break;
	case OP_PREAD:
		off = resolve(op);
		p = result(pread(pfd, buf_p, op->len, off));
		r = result(pread(rfd, buf_r, op->len, off));
		break;
	case OP_WRITE:
		fill(wbuf, op->len, op->data_seed);
		p = result(write(pfd, wbuf, op->len));
		r = ref_write(s, wbuf, op->len, 0, -1);
		return same("write", p, r);
	case OP_PWRITE:
		off = resolve(op);
		fill(wbuf, op->len, op->data_seed);
		p = result(pwrite(pfd, wbuf, op->len, off));
		r = ref_write(s, wbuf, op->len, 1, off);
		return same("pwrite", p, r);
	case OP_LSEEK:
		off = resolve(op);
		p = result(lseek(pfd, off, op->whence));
		r = result(lseek(rfd, off, op->whence));
		return same("lseek", p, r);
	case OP_FSTAT: {
		struct stat sp, sr;

		p = result(fstat(pfd, &sp));
		r = result(fstat(rfd, &sr));
		if (same("fstat", p, r))
			return -1;
		return p.rc ? 0 : compare_stat("fstat", &sp, &sr);
	}
	case OP_STAT: {
		struct stat sp, sr;

		p = result(stat(path, &sp));
		r = result(stat(ref_path, &sr));
		if (same("stat", p, r))
			return -1;
		return p.rc ? 0 : compare_stat("stat", &sp, &sr);
	}
	case OP_FTRUNCATE:
		off = resolve(op);
		p = result(ftruncate(pfd, off));
		r = ref_ftruncate(s, off);
		return same("ftruncate", p, r);
	default:
		return 0;
	}
	/* Reads: same result, same bytes. */
	if (same(op->kind == OP_READ ? "read" : "pread", p, r))
		return -1;
	if (p.rc > 0 && memcmp(buf_p, buf_r, (size_t)p.rc)) {
		long long i = 0;

		while (buf_p[i] == buf_r[i])
			i++;
		return diverge("read data differs at byte %lld of %lld: proc %#x, tmpfs %#x",
			       i, p.rc, buf_p[i], buf_r[i]);
	}
	return 0;
}

/* Compares [at, at + len) of both files (clipped to 0 and the end). */
static int compare_range(long long at, long long len)
{
	long long end;

	if (at < 0) {
		len += at;
		at = 0;
	}
	end = len > LLONG_MAX - at ? LLONG_MAX : at + len;
	while (at < end) {
		size_t n = end - at < MAX_IO ? (size_t)(end - at) : MAX_IO;
		ssize_t a = pread(proc_side.check_fd, buf_p, n, at);
		ssize_t b = pread(ref_side.check_fd, buf_r, n, at);

		if (a != b)
			return diverge("contents at %lld: proc read %zd, tmpfs %zd",
				       at, a, b);
		if (a > 0 && memcmp(buf_p, buf_r, (size_t)a))
			return diverge("contents differ in [%lld, %lld)", at,
				       at + a);
		if (a <= 0)
			break;
		at += a;
	}
	return 0;
}

/*
 * Compares positions, sizes and the contents of both files: all of it up
 * to FULL_CHECK_MAX bytes (one byte further, where both must end).
 */
static int check_state(void)
{
	struct stat sp, sr;
	long long size, at;
	int s;

	for (s = 0; s < NSLOTS; s++) {
		long long a, b;

		if (proc_side.fd[s] < 0)
			continue;
		a = lseek(proc_side.fd[s], 0, SEEK_CUR);
		b = lseek(ref_side.fd[s], 0, SEEK_CUR);
		if (a != b)
			return diverge("fd%d position: proc %lld, tmpfs %lld", s, a, b);
		if (fstat(proc_side.fd[s], &sp) || fstat(ref_side.fd[s], &sr))
			fatal("fstat: %s", strerror(errno));
		if (compare_stat("fstat after step", &sp, &sr))
			return -1;
	}
	if (stat(path, &sp) || stat(ref_path, &sr))
		fatal("stat: %s", strerror(errno));
	if (compare_stat("stat after step", &sp, &sr))
		return -1;
	size = sr.st_size;
	if (size <= FULL_CHECK_MAX)
		return compare_range(0, size + 1);
	/*
	 * Too big to read at every step (only with a huge max_size): compare
	 * every data extent of the reference, and the first and last page of
	 * every hole between them, which the proc file must read as zeros.
	 */
	for (at = 0; at < size;) {
		long long data = lseek(ref_side.check_fd, at, SEEK_DATA);
		long long hole;

		if (data < 0)
			data = size;
		if (data > at && (compare_range(at, PAGE) ||
				  compare_range(data - PAGE, PAGE)))
			return -1;
		if (data >= size)
			break;
		hole = lseek(ref_side.check_fd, data, SEEK_HOLE);
		if (hole < 0 || compare_range(data, hole - data))
			return -1;
		at = hole;
	}
	return compare_range(size - 1, 2);
}

static void reset(void)
{
	int s, fd;

	unmap_side(&proc_side);
	unmap_side(&ref_side);
	if (proc_side.map_fd >= 0)
		close(proc_side.map_fd);
	if (ref_side.map_fd >= 0)
		close(ref_side.map_fd);
	proc_side.map_fd = ref_side.map_fd = -1;
	for (s = 0; s < NSLOTS; s++) {
		close_slot(s);
		slot_flags[s] = 0;
	}
	if (proc_side.check_fd >= 0)
		close(proc_side.check_fd);
	if (ref_side.check_fd >= 0)
		close(ref_side.check_fd);
	/* O_TRUNC empties both files (the module frees its pages). */
	fd = open(path, O_WRONLY | O_TRUNC);
	if (fd < 0)
		fatal("open %s: %s", path, strerror(errno));
	close(fd);
	fd = open(ref_path, O_WRONLY | O_TRUNC | O_CREAT, 0644);
	if (fd < 0)
		fatal("open %s: %s", ref_path, strerror(errno));
	close(fd);
	proc_side.check_fd = open(path, O_RDONLY);
	ref_side.check_fd = open(ref_path, O_RDONLY);
	if (proc_side.check_fd < 0 || ref_side.check_fd < 0)
		fatal("open for checking: %s", strerror(errno));
	if (mmap_ok) {
		proc_side.map_fd = open(path, O_RDWR);
		ref_side.map_fd = open(ref_path, O_RDWR);
		if (proc_side.map_fd < 0 || ref_side.map_fd < 0)
			fatal("open for mapping: %s", strerror(errno));
		map_side(&proc_side);
		map_side(&ref_side);
	}
	cap_short = cap_nospc = 0;
	map_access = map_sigbus = 0;
}

/*
 * Runs the ops whose keep[] entry is set (all if keep is NULL), from empty
 * files. Returns the index of the diverging op, or -1 if none diverged.
 */
static long run(const struct op *ops, long n, const char *keep)
{
	long i;

	reset();
	for (i = 0; i < n; i++) {
		if (keep && !keep[i])
			continue;
		if (do_op(&ops[i]) || check_state())
			return i;
	}
	return -1;
}

/* --- shrinking -------------------------------------------------------- */

/*
 * Delta debugging over the ops before the divergence: try to drop chunks
 * of halving size, keep every drop after which some op still diverges, and
 * cut the sequence after the (new) diverging op. Stops after
 * minimise_secs; the result is a reproducer even if not the shortest.
 */
static void shrink(const struct op *ops, long fail_at)
{
	long n = fail_at + 1, chunk, start, i, kept, replays = 0;
	char *keep = malloc((size_t)n), *trial = malloc((size_t)n);
	double deadline = now() + minimise_secs;
	int timed_out = 0;
	char first[sizeof(diverged)];

	if (!keep || !trial)
		fatal("out of memory");
	memcpy(first, diverged, sizeof(first));
	memset(keep, 1, (size_t)n);
	for (chunk = n / 2 ? n / 2 : 1; chunk >= 1 && !timed_out; chunk /= 2) {
		for (start = 0; start < n - 1; start += chunk) {
			long f, j, removed = 0;

			if (now() > deadline) {
				timed_out = 1;
				break;
			}
			memcpy(trial, keep, (size_t)n);
			/* The last op is where it diverges: keep it. */
			for (j = start; j < start + chunk && j < n - 1; j++) {
				removed += trial[j];
				trial[j] = 0;
			}
			if (!removed)
				continue;
			replays++;
			f = run(ops, n, trial);
			if (f < 0)
				continue;
			memcpy(keep, trial, (size_t)n);
			n = f + 1;
		}
		if (chunk == 1)
			break;
	}
	/* Replay the final sequence once more for its message. */
	run(ops, n, keep);
	for (i = 0, kept = 0; i < n; i++)
		kept += keep[i];
	printf("# divergence: %s\n", first);
	printf("# shortest reproducer found (%ld ops of %ld, %ld replays%s):\n",
	       kept, fail_at + 1, replays, timed_out ? ", time limit hit" : "");
	for (i = 0, kept = 0; i < n; i++)
		if (keep[i])
			print_op("#   ", (int)kept++, &ops[i]);
	printf("# it diverges at the last op: %s\n", diverged);
	free(keep);
	free(trial);
}

/* --- documented deviations -------------------------------------------- */

/*
 * One test per entry of "Differences from a tmpfs file" in the README. Each
 * runs the operation on both files and checks that the proc file gives the
 * documented result; then it is reported as '# SKIP <name>'. A result other
 * than the documented one fails, so that the README has to follow.
 */
struct deviation {
	const char *name;
	const char *doc;
	int (*check)(int pfd, int rfd, char *why, size_t len);
};

/* Checks a call on the proc file returned @rc with errno @want_err. */
static int got(char *why, size_t len, const char *what, long long rc,
	       long long want_rc, int want_err)
{
	int err = errno;

	if (rc == want_rc && (want_rc != -1 || err == want_err))
		return 0;
	snprintf(why, len, "%s: got %lld (%s), documented %lld (%s)", what, rc,
		 rc < 0 ? strerror(err) : "ok", want_rc,
		 want_rc < 0 ? strerror(want_err) : "ok");
	return -1;
}

/* Compares sizes and whole contents of the two files after a size change. */
static int same_after(int pfd, int rfd, const char *what, char *why, size_t len)
{
	static char pbuf[8192], rbuf[8192];
	long long ps = file_size(pfd), rs = file_size(rfd);
	ssize_t pn, rn;

	if (ps != rs) {
		snprintf(why, len, "%s: size %lld, tmpfs %lld", what, ps, rs);
		return -1;
	}
	pn = pread(pfd, pbuf, sizeof(pbuf), 0);
	rn = pread(rfd, rbuf, sizeof(rbuf), 0);
	if (pn != rn || pn < 0 || memcmp(pbuf, rbuf, (size_t)pn)) {
		snprintf(why, len, "%s: contents differ from tmpfs", what);
		return -1;
	}
	return 0;
}

/*
 * ftruncate(2) and truncate(2) behave as on tmpfs (shrink, grow with a
 * hole), checked here; the deviation is the cap: a size past max_size
 * fails with EFBIG and changes nothing, where tmpfs would grow.
 */
static int dev_truncate_past_max_size(int pfd, int rfd, char *why, size_t len)
{
	long long size;

	if (got(why, len, "ftruncate(1)", ftruncate(pfd, 1), 0, 0) ||
	    ftruncate(rfd, 1) || same_after(pfd, rfd, "shrink", why, len))
		return -1;
	if (got(why, len, "ftruncate(5000)", ftruncate(pfd, 5000), 0, 0) ||
	    ftruncate(rfd, 5000) || same_after(pfd, rfd, "grow", why, len))
		return -1;
	if (got(why, len, "truncate(2)", truncate(path, 2), 0, 0) ||
	    ftruncate(rfd, 2) || same_after(pfd, rfd, "truncate", why, len))
		return -1;
	if (got(why, len, "ftruncate(max_size + 1)",
		ftruncate(pfd, max_size + 1), -1, EFBIG))
		return -1;
	size = file_size(pfd);
	if (size != 2) {
		snprintf(why, len, "failed ftruncate changed the size to %lld",
			 size);
		return -1;
	}
	return 0;
}

static int dev_fsync(int pfd, int rfd, char *why, size_t len)
{
	if (fsync(rfd) || fdatasync(rfd))
		snprintf(why, len, "tmpfs fsync failed");
	if (got(why, len, "fsync", fsync(pfd), -1, EINVAL))
		return -1;
	return got(why, len, "fdatasync", fdatasync(pfd), -1, EINVAL);
}

static int dev_fallocate(int pfd, int rfd, char *why, size_t len)
{
	(void)rfd;
	if (got(why, len, "fallocate", fallocate(pfd, 0, 0, 100), -1,
		EOPNOTSUPP))
		return -1;
	return got(why, len, "fallocate(PUNCH_HOLE)",
		   fallocate(pfd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
			     0, 1), -1, EOPNOTSUPP);
}

static int dev_mmap(int pfd, int rfd, char *why, size_t len)
{
	void *m = mmap(NULL, 4096, PROT_READ, MAP_SHARED, pfd, 0);
	void *r = mmap(NULL, 4096, PROT_READ, MAP_SHARED, rfd, 0);

	if (r != MAP_FAILED)
		munmap(r, 4096);
	if (m != MAP_FAILED) {
		munmap(m, 4096);
		snprintf(why, len, "mmap succeeded, documented to fail with EIO");
		return -1;
	}
	return got(why, len, "mmap", -1, -1, EIO);
}

/*
 * PROT_EXEC: EPERM whatever the mount's flags, as procfs's superblock is
 * noexec (SB_I_NOEXEC); tmpfs maps unless its mount is noexec.
 */
static int dev_mmap_prot_exec(int pfd, int rfd, char *why, size_t len)
{
	void *m = mmap(NULL, 4096, PROT_READ | PROT_EXEC, MAP_SHARED, pfd, 0);

	(void)rfd;
	if (m != MAP_FAILED) {
		munmap(m, 4096);
		snprintf(why, len, "mmap(PROT_EXEC) succeeded, documented EPERM");
		return -1;
	}
	return got(why, len, "mmap(PROT_EXEC)", -1, -1, EPERM);
}

static int dev_o_direct(int pfd, int rfd, char *why, size_t len)
{
	int fd = open(path, O_RDWR | O_DIRECT);

	(void)pfd;
	(void)rfd;
	if (fd >= 0)
		close(fd);
	return got(why, len, "open(O_DIRECT)", fd < 0 ? -1 : 0, -1, EINVAL);
}

/*
 * sendfile(2) to the file fails with EINVAL: procfs has no write_iter, so
 * no splice_write. From the file it copies as on tmpfs where reads go
 * through proc_read_iter, which procfs pairs with copy_splice_read (the
 * 6.18 patches), and fails with EINVAL on 6.12.
 */
static int dev_sendfile(int pfd, int rfd, char *why, size_t len)
{
	char buf[4] = "";
	off_t o = 0;
	long long rc;

	rc = sendfile(rfd, pfd, &o, 3);
	if (linux_6_12()) {
		if (got(why, len, "sendfile(from proc)", rc, -1, EINVAL))
			return -1;
	} else if (got(why, len, "sendfile(from proc)", rc, 3, 0)) {
		return -1;
	} else if (pread(rfd, buf, 3, 3) != 3 || memcmp(buf, "abc", 3)) {
		/* Appended to the tmpfs file's "abc" at its position, 3. */
		snprintf(why, len, "sendfile(from proc) copied '%.3s', not 'abc'",
			 buf);
		return -1;
	}
	o = 0;
	rc = sendfile(pfd, rfd, &o, 3);
	return got(why, len, "sendfile(to proc)", rc, -1, EINVAL);
}

static int dev_st_blocks(int pfd, int rfd, char *why, size_t len)
{
	struct stat sp;

	(void)rfd;
	if (fstat(pfd, &sp))
		return got(why, len, "fstat", -1, 0, 0);
	if (sp.st_blocks != 0) {
		snprintf(why, len, "st_blocks %lld, documented 0",
			 (long long)sp.st_blocks);
		return -1;
	}
	return 0;
}

static int dev_st_blksize(int pfd, int rfd, char *why, size_t len)
{
	struct stat sp;

	(void)rfd;
	if (fstat(pfd, &sp))
		return got(why, len, "fstat", -1, 0, 0);
	if (sp.st_blksize != 1024) {
		snprintf(why, len, "st_blksize %ld, documented 1024",
			 (long)sp.st_blksize);
		return -1;
	}
	return 0;
}

static int dev_timestamps(int pfd, int rfd, char *why, size_t len)
{
	struct stat a, b;
	struct timespec ts = { 0, 20 * 1000 * 1000 };

	(void)rfd;
	if (fstat(pfd, &a))
		return got(why, len, "fstat", -1, 0, 0);
	nanosleep(&ts, NULL);
	if (pwrite(pfd, "x", 1, 0) != 1)
		return got(why, len, "pwrite", -1, 1, 0);
	if (fstat(pfd, &b))
		return got(why, len, "fstat", -1, 0, 0);
	if (a.st_mtim.tv_sec != b.st_mtim.tv_sec ||
	    a.st_mtim.tv_nsec != b.st_mtim.tv_nsec ||
	    a.st_ctim.tv_nsec != b.st_ctim.tv_nsec) {
		snprintf(why, len, "a write changed mtime/ctime, documented unchanged");
		return -1;
	}
	return 0;
}

static int dev_unlink(int pfd, int rfd, char *why, size_t len)
{
	(void)pfd;
	(void)rfd;
	return got(why, len, "unlink", unlink(path), -1, EPERM);
}

static const struct deviation deviations[] = {
	{ "truncate_past_max_size",
	  "ftruncate(2)/truncate(2) past max_size fail with EFBIG",
	  dev_truncate_past_max_size },
	{ "fsync", "fsync(2) and fdatasync(2) fail with EINVAL (Linux 6.12)",
	  dev_fsync },
	{ "fallocate", "fallocate(2) fails with EOPNOTSUPP", dev_fallocate },
	{ "mmap", "mmap(2) fails with EIO (Linux 6.12)", dev_mmap },
	{ "mmap_prot_exec", "mmap(2) with PROT_EXEC fails with EPERM",
	  dev_mmap_prot_exec },
	{ "o_direct", "open(O_DIRECT) fails with EINVAL", dev_o_direct },
	{ "sendfile",
	  "sendfile(2) to the file fails with EINVAL (from it too on 6.12)",
	  dev_sendfile },
	{ "st_blocks", "st_blocks is always 0", dev_st_blocks },
	{ "st_blksize", "st_blksize is 1024", dev_st_blksize },
	{ "timestamps", "writes do not update mtime or ctime", dev_timestamps },
	{ "unlink", "unlink(2) fails with EPERM", dev_unlink },
};

#define NDEV (sizeof(deviations) / sizeof(deviations[0]))

/*
 * mmap(2) and fsync(2) are deviations on Linux 6.12 only: on 6.18 the
 * file maps its pages, and fsync(2) succeeds as on tmpfs (the random
 * sequences call msync(MS_SYNC)).
 */
static int deviation_applies(const struct deviation *d)
{
	return !mmap_ok || (strcmp(d->name, "mmap") && strcmp(d->name, "fsync"));
}

static int ndeviations(void)
{
	int n = 0;
	size_t i;

	for (i = 0; i < NDEV; i++)
		n += deviation_applies(&deviations[i]);
	return n;
}

static int run_deviations(int first)
{
	int failed = 0, num = first;
	size_t i;

	for (i = 0; i < NDEV; i++) {
		const struct deviation *d = &deviations[i];
		char why[256] = "";
		int pfd, rfd, bad;

		if (!deviation_applies(d))
			continue;
		/* Each starts from the same 3-byte file on both sides. */
		reset();
		pfd = open(path, O_RDWR);
		rfd = open(ref_path, O_RDWR);
		if (pfd < 0 || rfd < 0 || write(pfd, "abc", 3) != 3 ||
		    write(rfd, "abc", 3) != 3)
			fatal("deviation setup: %s", strerror(errno));
		errno = 0;
		bad = d->check(pfd, rfd, why, sizeof(why));
		close(pfd);
		close(rfd);
		if (bad) {
			failed++;
			printf("# %s: no longer as documented (%s): %s\n",
			       d->name, d->doc, why);
			printf("not ok %d %s\n", num, d->name);
		} else {
			printf("ok %d %s # SKIP %s: %s\n", num, d->name,
			       d->name, d->doc);
		}
		num++;
	}
	return failed;
}

/* --- main ------------------------------------------------------------- */

static long long parse_num(const char *s, const char *what)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(s, &end, 0);
	if (errno || end == s || *end)
		fatal("bad %s: '%s'", what, s);
	return v;
}

static void usage(void)
{
	fprintf(stderr,
		"usage: rustprocfile-conformance [--seeds N,N,...] [--seed N] [--ops N]\n"
		"         [--path FILE] [--ref-dir DIR] [--max-size N]\n"
		"         [--minimise-secs N] [--no-deviations]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	const char *ref_dir = "/tmp";
	char seeds_buf[1024] = "1";
	const char *seeds = seeds_buf;
	int i, nseeds = 0, deviations_on = 1, test = 0, failed = 0;
	unsigned long long seed_list[256];
	struct op *ops;
	struct stat st;
	struct statfs sfs;
	char *tok, *save;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (!strcmp(a, "--no-deviations")) {
			deviations_on = 0;
			continue;
		}
		if (!v)
			usage();
		if (!strcmp(a, "--seeds") || !strcmp(a, "--seed"))
			seeds = v;
		else if (!strcmp(a, "--ops"))
			nops = (long)parse_num(v, "--ops");
		else if (!strcmp(a, "--path"))
			path = v;
		else if (!strcmp(a, "--ref-dir"))
			ref_dir = v;
		else if (!strcmp(a, "--max-size"))
			max_size = parse_num(v, "--max-size");
		else if (!strcmp(a, "--minimise-secs"))
			minimise_secs = (double)parse_num(v, "--minimise-secs");
		else
			usage();
		i++;
	}
	if (nops <= 0)
		fatal("--ops must be positive");
	snprintf(seeds_buf, sizeof(seeds_buf), "%s", seeds);
	for (tok = strtok_r(seeds_buf, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		if (nseeds == (int)(sizeof(seed_list) / sizeof(seed_list[0])))
			fatal("too many seeds");
		seed_list[nseeds++] = (unsigned long long)parse_num(tok, "seed");
	}
	if (!max_size)
		max_size = read_max_size();
	if (max_size <= 0)
		fatal("cannot read the module's max_size from %s (%s); give --max-size",
		      MAX_SIZE_PARAM, strerror(errno));
	if (stat(path, &st))
		fatal("%s: %s", path, strerror(errno));
	/* The reference must be tmpfs: other filesystems differ by design. */
	if (statfs(ref_dir, &sfs))
		fatal("%s: %s", ref_dir, strerror(errno));
	if (sfs.f_type != TMPFS_MAGIC)
		fatal("%s is not on tmpfs (f_type %#lx); give --ref-dir", ref_dir,
		      (unsigned long)sfs.f_type);
	snprintf(ref_path, sizeof(ref_path), "%s/rustprocfile-conformance.%d",
		 ref_dir, (int)getpid());
	buf_p = malloc(MAX_IO);
	buf_r = malloc(MAX_IO);
	wbuf = malloc(MAX_IO);
	ops = calloc((size_t)nops, sizeof(*ops));
	if (!buf_p || !buf_r || !wbuf || !ops)
		fatal("out of memory");
	proc_side.path = path;
	ref_side.path = ref_path;
	proc_side.check_fd = ref_side.check_fd = -1;
	proc_side.map_fd = ref_side.map_fd = -1;
	mmap_ok = !linux_6_12();
	map_len = (size_t)((max_size + PAGE - 1) / PAGE * PAGE + PAGE);
	if (mmap_ok) {
		struct sigaction sa;

		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = on_sigbus;
		if (sigaction(SIGBUS, &sa, NULL))
			fatal("sigaction: %s", strerror(errno));
	}
	for (i = 0; i < NSLOTS; i++)
		proc_side.fd[i] = ref_side.fd[i] = -1;

	printf("KTAP version 1\n");
	printf("# rustprocfile-conformance: %s against %s, max_size %lld, %ld ops per seed\n",
	       path, ref_path, max_size, nops);
	printf("1..%d\n", nseeds + (deviations_on ? ndeviations() : 0));
	fflush(stdout);
	for (i = 0; i < nseeds; i++) {
		double t0 = now();
		long j, at;

		rng_state = seed_list[i];
		for (j = 0; j < nops; j++)
			gen_op(&ops[j]);
		at = run(ops, nops, NULL);
		test++;
		if (at < 0) {
			printf("# seed %llu: %.1f s, capacity rule: %ld short writes, %ld ENOSPC\n",
			       seed_list[i], now() - t0, cap_short, cap_nospc);
			if (mmap_ok)
				printf("# seed %llu: %ld accesses through mappings, %ld of them ended by SIGBUS\n",
				       seed_list[i], map_access, map_sigbus / 2);
			printf("ok %d seed_%llu # %ld ops\n", test, seed_list[i], nops);
		} else {
			failed++;
			printf("# seed %llu diverged at op %ld\n", seed_list[i], at);
			shrink(ops, at);
			printf("not ok %d seed_%llu # diverged at op %ld of %ld\n",
			       test, seed_list[i], at, nops);
		}
		fflush(stdout);
	}
	if (deviations_on)
		failed += run_deviations(test + 1);
	reset();
	for (i = 0; i < NSLOTS; i++)
		close_slot(i);
	close(proc_side.check_fd);
	close(ref_side.check_fd);
	unlink(ref_path);
	printf("# %d failed\n", failed);
	return failed ? 1 : 0;
}
