// SPDX-License-Identifier: GPL-2.0
/*
 * badinput: a catalogue of hostile arguments, each one KTAP case, each run
 * on /proc/rustfile and on a file in tmpfs holding the same bytes.
 *
 * A case passes when both give the same result (value or errno), leave the
 * same position and the same contents, and the proc file is unchanged
 * unless the call legitimately wrote. The one intended difference is the
 * module's max_size: a write of n > 0 bytes starting at or past max_size
 * fails with ENOSPC, one crossing it is cut short there; before it, one
 * starting at or past PROC_LIMIT, procfs's largest file size, fails with
 * EFBIG (tmpfs's limit is far larger). It is applied to
 * the tmpfs side (the write is skipped or shortened) once the arguments got
 * past the VFS's own checks, which come first and are the same for both.
 * The rlimit_fsize_ cases run the calls under an RLIMIT_FSIZE below the
 * files' size, which both must honour as a regular file does: short
 * writes up to the limit, EFBIG and one SIGXFSZ past it.
 *
 * The calls go through syscall(2), so that the kernel sees exactly these
 * arguments, whatever the C library would check or change.
 *
 * The mmap_ cases (Linux 6.18; skipped on 6.12, where mmap(2) fails with
 * EIO) map both files with hostile arguments: offsets past max_size and
 * past the end, unaligned or negative offsets, zero and huge lengths,
 * PROT_EXEC, shared writable mappings of read-only descriptors, MAP_FIXED
 * over a mapping, mremap(2) growing a mapping past the end. Each writes
 * what happened (results, errnos, bytes loaded, SIGBUS) into a line, which
 * must be the same for both files.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <stdarg.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "common.h"

#define INIT_LEN 10000
#define OPLEN 16

/* An address in the kernel half, mapped or not: the VFS must refuse it
 * before the module is called (access_ok). */
#if defined(__x86_64__)
#define KADDR ((void *)0xffffffff81000000UL)
#elif defined(__aarch64__)
#define KADDR ((void *)0xffff800000000000UL)
#else
#define KADDR ((void *)(~0UL & ~4095UL))
#endif

enum opkind { OP_LSEEK, OP_PREAD, OP_PWRITE, OP_READ, OP_WRITE,
	      OP_SEEK_READ, OP_SEEK_WRITE, OP_APPEND, OP_TRUNCATE };

struct op {
	enum opkind kind;
	long long off;		/* offset, or the size to grow to (OP_APPEND) */
	int whence;
	void *buf;
	size_t len;
	long long rlimit;	/* RLIMIT_FSIZE during the call; 0: none */
};

static char ref_path[4096];
static char initial[INIT_LEN];
static uint64_t initial_sum;
static long long max_size;
static char vbuf[65536];	/* the one valid user buffer */
static volatile sig_atomic_t sigxfsz;	/* SIGXFSZ signals received */

static void count_sigxfsz(int sig)
{
	(void)sig;
	sigxfsz++;
}

static long long sys_lseek(int fd, long long off, int whence)
{
	return res(syscall(SYS_lseek, fd, off, whence));
}

static int is_write(enum opkind k)
{
	return k == OP_PWRITE || k == OP_WRITE || k == OP_SEEK_WRITE ||
	       k == OP_APPEND || k == OP_TRUNCATE;
}

/* Runs @op on @fd; with @cap, applies the module's max_size rule first. */
static long long run(int fd, const struct op *op, int cap)
{
	long long pos = 0, r;
	size_t len = op->len;

	switch (op->kind) {
	case OP_LSEEK:
		return sys_lseek(fd, op->off, op->whence);
	case OP_PREAD:
		return res(syscall(SYS_pread64, fd, op->buf, len, op->off));
	case OP_READ:
		return res(syscall(SYS_read, fd, op->buf, len));
	case OP_SEEK_READ:
		r = sys_lseek(fd, op->off, SEEK_SET);
		return r < 0 ? r : res(syscall(SYS_read, fd, op->buf, len));
	case OP_PWRITE:
		pos = op->off;
		break;
	case OP_WRITE:
		pos = sys_lseek(fd, 0, SEEK_CUR);
		break;
	case OP_SEEK_WRITE:
		r = sys_lseek(fd, op->off, SEEK_SET);
		if (r < 0)
			return r;
		pos = op->off;
		break;
	case OP_APPEND:
		pos = sys_lseek(fd, 0, SEEK_END);
		break;
	case OP_TRUNCATE:
		return res(syscall(SYS_ftruncate, fd, op->off));
	}
	/* The max_size rule, where the VFS lets the call through: a
	 * negative offset, an overflowing end or a buffer that is not ours
	 * fails there first, on both files. */
	if (cap && op->buf == vbuf && len > 0 && len <= sizeof(vbuf) &&
	    pos >= 0 && pos <= LLONG_MAX - (long long)len) {
		if (pos >= PROC_LIMIT)
			return -EFBIG;
		if (pos >= max_size)
			return -ENOSPC;
		if (pos + (long long)len > max_size)
			len = (size_t)(max_size - pos);
	}
	if (op->kind == OP_PWRITE)
		return res(syscall(SYS_pwrite64, fd, op->buf, len, op->off));
	return res(syscall(SYS_write, fd, op->buf, len));
}

static int set_contents(const char *p, const char *data, size_t len)
{
	int fd = open(p, O_WRONLY | O_TRUNC | O_CREAT, 0644);
	int ok = fd >= 0 && write(fd, data, len) == (ssize_t)len;

	if (fd >= 0)
		close(fd);
	return ok ? 0 : -1;
}

static int state(const char *p, uint64_t *sum, long long *size)
{
	int fd = open(p, O_RDONLY), r;

	if (fd < 0)
		return -1;
	r = file_sum(fd, sum, size);
	close(fd);
	return r;
}

/* Sets both files to @grow bytes: the initial bytes, then zeros. */
static int prepare(long long grow)
{
	int i, fd;
	const char *ps[2] = { path, ref_path };

	for (i = 0; i < 2; i++) {
		if (set_contents(ps[i], initial, INIT_LEN))
			return -1;
		if (grow > INIT_LEN) {
			fd = open(ps[i], O_WRONLY);
			if (fd < 0 || pwrite(fd, "", 1, grow - 1) != 1)
				return -1;
			close(fd);
		}
	}
	return 0;
}

/*
 * Runs @op on the proc file @fp and the tmpfs file @fr, under the op's
 * RLIMIT_FSIZE if it has one, into *@rp and *@rr, and counts the SIGXFSZ
 * each call raised into *@sigp and *@sigr. -1 if the limit cannot be set.
 */
static int limited(const struct op *op, int *sigp, int *sigr, long long *rp,
		   long long *rr, int fp, int fr)
{
	struct rlimit old, lim;
	int r = 0;

	if (op->rlimit) {
		if (getrlimit(RLIMIT_FSIZE, &old))
			return -1;
		lim = old;
		lim.rlim_cur = op->rlimit;
		if (setrlimit(RLIMIT_FSIZE, &lim))
			return -1;
	}
	sigxfsz = 0;
	*rp = run(fp, op, 0);
	*sigp = sigxfsz;
	sigxfsz = 0;
	*rr = run(fr, op, 1);
	*sigr = sigxfsz;
	if (op->rlimit && setrlimit(RLIMIT_FSIZE, &old))
		r = -1;
	return r;
}

static void one_case(const struct op *op, const char *name)
{
	long long rp, rr, pp, pr, sizep, sizer, size0;
	uint64_t sump, sumr, sum0;
	int fp, fr, flags = O_RDWR, ok, unchanged, sigp, sigr;

	if (op->kind == OP_APPEND)
		flags |= O_APPEND;
	if (prepare(op->kind == OP_APPEND ? op->off : 0) ||
	    state(path, &sum0, &size0)) {
		ktap_result(0, "%s", name);
		diag("cannot set up the files: %s", strerror(errno));
		return;
	}
	fp = open(path, flags);
	fr = open(ref_path, flags);
	if (fp < 0 || fr < 0) {
		ktap_result(0, "%s", name);
		diag("open: %s", strerror(errno));
		if (fp >= 0)
			close(fp);
		if (fr >= 0)
			close(fr);
		return;
	}
	if (limited(op, &sigp, &sigr, &rp, &rr, fp, fr)) {
		ktap_result(0, "%s", name);
		diag("setrlimit(RLIMIT_FSIZE): %s", strerror(errno));
		close(fp);
		close(fr);
		return;
	}
	pp = sys_lseek(fp, 0, SEEK_CUR);
	pr = sys_lseek(fr, 0, SEEK_CUR);
	close(fp);
	close(fr);
	if (state(path, &sump, &sizep) || state(ref_path, &sumr, &sizer)) {
		ktap_result(0, "%s", name);
		diag("cannot read the files back");
		return;
	}
	/* Only a write that wrote may change the file. */
	unchanged = sump == sum0 && sizep == size0;
	ok = rp == rr && pp == pr && sump == sumr && sizep == sizer &&
	     sigp == sigr &&
	     (unchanged || (is_write(op->kind) &&
			    (rp > 0 || (op->kind == OP_TRUNCATE && !rp))));
	ktap_result(ok, "%s", name);
	if (!ok)
		diag("proc: %lld (%s), pos %lld, size %lld, %d SIGXFSZ%s; tmpfs with the max_size rule: %lld (%s), pos %lld, size %lld, %d SIGXFSZ",
		     rp, rp < 0 ? strerror((int)-rp) : "ok", pp, sizep, sigp,
		     sump == sumr ? "" : ", contents differ", rr,
		     rr < 0 ? strerror((int)-rr) : "ok", pr, sizer, sigr);
}

/* --- mappings ----------------------------------------------------------- */

#define PAGE 4096L
/* f_type of procfs (linux/magic.h). */
#define PROC_SUPER_MAGIC 0x9fa0

/* Appends a formatted piece to the outcome line @out of @len bytes. */
static void note(char *out, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void note(char *out, size_t len, const char *fmt, ...)
{
	size_t used = strlen(out);
	va_list ap;

	va_start(ap, fmt);
	if (used < len)
		vsnprintf(out + used, len - used, fmt, ap);
	va_end(ap);
}

/* mmap(2) through syscall(2); notes the result. */
static char *map(char *out, size_t len, void *addr, size_t n, int prot,
		 int flags, int fd, long long off)
{
	long r = syscall(SYS_mmap, addr, n, prot, flags, fd, off);

	if (r == -1) {
		note(out, len, "mmap %s; ", strerror(errno));
		return NULL;
	}
	note(out, len, "mmap ok; ");
	return (char *)r;
}

/* Loads one byte of each page of [@m, @m + @pages pages) and notes them. */
static void load_pages(char *out, size_t len, const char *m, long pages)
{
	long k;
	char c;

	for (k = 0; k < pages; k++) {
		if (load_byte(m + k * PAGE + k, &c))
			note(out, len, "p%ld SIGBUS ", k);
		else
			note(out, len, "p%ld %02x ", k, (unsigned char)c);
	}
	note(out, len, "; ");
}

/* The file's pages: INIT_LEN bytes make three, and one more past the end. */
#define FILE_PAGES ((INIT_LEN + PAGE - 1) / PAGE)

static void mmap_past_max_size(int fd, char *out, size_t len)
{
	long long off = (max_size + PAGE - 1) / PAGE * PAGE + PAGE;
	char *m = map(out, len, NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED,
		      fd, off);

	if (m) {
		load_pages(out, len, m, 1);
		note(out, len, "store %s", store_byte(m, 'x') ? "SIGBUS" : "ok");
		munmap(m, PAGE);
	}
}

static void mmap_bad_offsets(int fd, char *out, size_t len)
{
	map(out, len, NULL, PAGE, PROT_READ, MAP_SHARED, fd, 1);
	map(out, len, NULL, PAGE, PROT_READ, MAP_SHARED, fd, -PAGE);
	map(out, len, NULL, PAGE, PROT_READ, MAP_SHARED, fd, LLONG_MAX & ~(PAGE - 1));
}

static void mmap_bad_lengths(int fd, char *out, size_t len)
{
	size_t huge = (size_t)((max_size + PAGE - 1) / PAGE * PAGE) * 4;
	char *m;

	map(out, len, NULL, 0, PROT_READ, MAP_SHARED, fd, 0);
	map(out, len, NULL, SIZE_MAX & ~(size_t)(PAGE - 1), PROT_READ,
	    MAP_SHARED, fd, 0);
	/* Four times max_size: the pages past the end fault. */
	m = map(out, len, NULL, huge, PROT_READ, MAP_SHARED, fd, 0);
	if (m) {
		load_pages(out, len, m, FILE_PAGES + 1);
		note(out, len, "last page %s",
		     load_byte(m + huge - 1, &(char){ 0 }) ? "SIGBUS" : "loaded");
		munmap(m, huge);
	}
}

/*
 * PROT_EXEC: refused with EPERM on the proc file, whatever its mount's
 * flags, as procfs's superblock is noexec (SB_I_NOEXEC: the README's
 * mmap_prot_exec); on tmpfs as its mount's noexec flag says. Each side
 * notes whether it behaved as expected, and PROT_READ works on both.
 */
static void mmap_prot_exec(int fd, char *out, size_t len)
{
	struct statvfs sv;
	struct statfs sf;
	int want_eperm;
	long r;

	if (fstatvfs(fd, &sv) || fstatfs(fd, &sf)) {
		note(out, len, "fstatfs %s", strerror(errno));
		return;
	}
	want_eperm = sf.f_type == PROC_SUPER_MAGIC || (sv.f_flag & ST_NOEXEC);
	r = syscall(SYS_mmap, NULL, PAGE, PROT_READ | PROT_EXEC, MAP_SHARED,
		    fd, 0);
	if (want_eperm ? r == -1 && errno == EPERM : r != -1)
		note(out, len, "PROT_EXEC as expected; ");
	else
		note(out, len, "PROT_EXEC: mmap %s, expected %s; ",
		     r == -1 ? strerror(errno) : "ok",
		     want_eperm ? "EPERM" : "success");
	if (r != -1)
		munmap((void *)r, PAGE);
	r = (long)map(out, len, NULL, PAGE, PROT_READ, MAP_SHARED, fd, 0);
	if (r)
		munmap((void *)r, PAGE);
}

static void mmap_read_only_descriptor(const char *p, char *out, size_t len)
{
	int fd = open(p, O_RDONLY);
	char *m;

	map(out, len, NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	m = map(out, len, NULL, PAGE, PROT_READ, MAP_SHARED, fd, 0);
	if (m) {
		note(out, len, "mprotect(PROT_WRITE) %s; ",
		     mprotect(m, PAGE, PROT_READ | PROT_WRITE) ? strerror(errno) : "ok");
		munmap(m, PAGE);
	}
	/* A private writable mapping is a copy: allowed. */
	m = map(out, len, NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	if (m) {
		note(out, len, "private store %s", store_byte(m, 'p') ? "SIGBUS" : "ok");
		munmap(m, PAGE);
	}
	close(fd);
}

/* MAP_FIXED over the first page of a mapping of the file's first two
 * pages, with the file's third page: the first page then shows it. */
static void mmap_fixed_over_mapping(int fd, char *out, size_t len)
{
	char *m = map(out, len, NULL, 2 * PAGE, PROT_READ, MAP_SHARED, fd, 0);

	if (!m)
		return;
	if (map(out, len, m, PAGE, PROT_READ, MAP_SHARED | MAP_FIXED, fd,
		2 * PAGE))
		load_pages(out, len, m, 2);
	/* And MAP_FIXED with an offset past the end: faults. */
	if (map(out, len, m + PAGE, PAGE, PROT_READ, MAP_SHARED | MAP_FIXED,
		fd, 8 * PAGE))
		load_pages(out, len, m, 2);
	munmap(m, 2 * PAGE);
}

/* mremap(2) of a one-page mapping to past the end of the file. */
static void mremap_grow(int fd, char *out, size_t len)
{
	char *m = map(out, len, NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED,
		      fd, 0), *g;
	long pages = FILE_PAGES + 2;

	if (!m)
		return;
	g = mremap(m, PAGE, (size_t)pages * PAGE, MREMAP_MAYMOVE);
	if (g == MAP_FAILED) {
		note(out, len, "mremap %s", strerror(errno));
		munmap(m, PAGE);
		return;
	}
	note(out, len, "mremap ok; ");
	load_pages(out, len, g, pages);
	note(out, len, "store in page 1 %s",
	     store_byte(g + PAGE + 5, 'r') ? "SIGBUS" : "ok");
	munmap(g, (size_t)pages * PAGE);
}

static const struct {
	const char *name;
	void (*fd_case)(int fd, char *out, size_t len);
	void (*path_case)(const char *p, char *out, size_t len);
} mmap_case_list[] = {
	{ "mmap_offset_past_max_size_sigbus", mmap_past_max_size, NULL },
	{ "mmap_offset_unaligned_negative_huge", mmap_bad_offsets, NULL },
	{ "mmap_length_zero_huge_past_end", mmap_bad_lengths, NULL },
	{ "mmap_prot_exec_eperm_procfs_noexec", mmap_prot_exec, NULL },
	{ "mmap_shared_writable_on_read_only_fd", NULL, mmap_read_only_descriptor },
	{ "mmap_map_fixed_over_a_mapping", mmap_fixed_over_mapping, NULL },
	{ "mremap_grow_past_the_end", mremap_grow, NULL },
};

#define MMAP_CASES ((int)(sizeof(mmap_case_list) / sizeof(mmap_case_list[0])))

static void mmap_cases(void)
{
	char outp[1024], outr[1024];
	uint64_t sump, sumr;
	long long sizep, sizer;
	int i, fp, fr, same;

	catch_sigbus();
	for (i = 0; i < MMAP_CASES; i++) {
		if (linux_6_12()) {
			ktap_result(1, "%s # SKIP mmap(2) fails with EIO on Linux 6.12",
				    mmap_case_list[i].name);
			continue;
		}
		outp[0] = outr[0] = 0;
		if (prepare(0)) {
			ktap_result(0, "%s", mmap_case_list[i].name);
			diag("cannot set up the files: %s", strerror(errno));
			continue;
		}
		if (mmap_case_list[i].path_case) {
			mmap_case_list[i].path_case(path, outp, sizeof(outp));
			mmap_case_list[i].path_case(ref_path, outr, sizeof(outr));
		} else {
			fp = open(path, O_RDWR);
			fr = open(ref_path, O_RDWR);
			mmap_case_list[i].fd_case(fp, outp, sizeof(outp));
			mmap_case_list[i].fd_case(fr, outr, sizeof(outr));
			close(fp);
			close(fr);
		}
		same = !strcmp(outp, outr) && !state(path, &sump, &sizep) &&
		       !state(ref_path, &sumr, &sizer) && sump == sumr &&
		       sizep == sizer;
		ktap_result(same, "%s", mmap_case_list[i].name);
		diag("%s: %s", strcmp(outp, outr) ? "proc" : "both", outp);
		if (strcmp(outp, outr))
			diag("tmpfs: %s", outr);
		else if (!same)
			diag("the files differ afterwards");
	}
}

/*
 * RLIMIT_FSIZE of RLIMIT_BYTES, below the files' INIT_LEN bytes: a write
 * below it works, one crossing it is cut short, one at or past it fails
 * with EFBIG and raises SIGXFSZ, and so does a truncate that grows the
 * file; one that shrinks it works, wherever it ends.
 */
#define RLIMIT_BYTES 4096

static void rlimit_cases(struct op *op)
{
	static const struct {
		enum opkind kind;
		long long off;
		const char *name;
	} c[] = {
		{ OP_PWRITE, 0, "rlimit_fsize_pwrite_below" },
		{ OP_PWRITE, RLIMIT_BYTES - OPLEN / 2, "rlimit_fsize_pwrite_crossing_short" },
		{ OP_PWRITE, RLIMIT_BYTES, "rlimit_fsize_pwrite_at_efbig_sigxfsz" },
		{ OP_APPEND, INIT_LEN, "rlimit_fsize_append_past_efbig_sigxfsz" },
		{ OP_TRUNCATE, INIT_LEN + 1, "rlimit_fsize_truncate_grow_efbig_sigxfsz" },
		{ OP_TRUNCATE, RLIMIT_BYTES + 1000, "rlimit_fsize_truncate_shrink_ok" },
	};
	struct sigaction sa = { .sa_handler = count_sigxfsz }, old;
	size_t i;

	sigaction(SIGXFSZ, &sa, &old);
	op->buf = vbuf;
	op->len = OPLEN;
	op->rlimit = RLIMIT_BYTES;
	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		op->kind = c[i].kind;
		op->off = c[i].off;
		one_case(op, c[i].name);
	}
	op->rlimit = 0;
	sigaction(SIGXFSZ, &old, NULL);
}

int run_badinput(int argc, char **argv)
{
	const char *dir = NULL, *bufname[3] = { "NULL", "kaddr", "valid" };
	const char *lenname[4] = { "0", "1", "SIZE_MAX", "SSIZE_MAX" };
	const char *offname[6] = { "0", "-1", "LLONG_MAX", "max_size-1",
				   "max_size", "max_size+1" };
	long long offs[6];
	size_t lens[4] = { 0, 1, SIZE_MAX, SSIZE_MAX };
	void *bufs[3] = { NULL, KADDR, vbuf };
	int opt, w, o, b, l, rw, cases;
	char name[128];
	struct op op;
	size_t i;

	while ((opt = getopt(argc, argv, "d:")) != -1) {
		if (opt != 'd')
			return 2;
		dir = optarg;
	}
	if (!dir) {
		fprintf(stderr, "badinput: -d DIR, a directory in tmpfs\n");
		return 2;
	}
	snprintf(ref_path, sizeof(ref_path), "%s/rustprocfile-badinput-ref", dir);
	/* 12 whence x 6 offsets, 6 offsets x (pread, pwrite, lseek+read,
	 * lseek+write), 3 buffers x 4 lengths x (read, write), 2 appends,
	 * 6 under RLIMIT_FSIZE, the mappings. */
	cases = 12 * 6 + 6 * 4 + 3 * 4 * 2 + 2 + 6 + MMAP_CASES;
	ktap_plan("badinput", cases);
	max_size = read_max_size();
	if (max_size <= 0 || max_size < INIT_LEN + OPLEN) {
		diag("cannot use the module's max_size (%lld)", max_size);
		return 1;
	}
	for (i = 0; i < sizeof(initial); i++)
		initial[i] = (char)(i * 7 + 3);
	initial_sum = fnv1a(FNV_INIT, initial, sizeof(initial));
	memset(vbuf, 'B', sizeof(vbuf));
	offs[0] = 0;
	offs[1] = -1;
	offs[2] = LLONG_MAX;
	offs[3] = max_size - 1;
	offs[4] = max_size;
	offs[5] = max_size + 1;
	diag("max_size %lld, reference %s, kernel address %p", max_size,
	     ref_path, KADDR);

	memset(&op, 0, sizeof(op));
	op.kind = OP_LSEEK;
	for (w = -1; w <= 10; w++)
		for (o = 0; o < 6; o++) {
			op.whence = w;
			op.off = offs[o];
			snprintf(name, sizeof(name), "lseek_whence_%d_off_%s", w,
				 offname[o]);
			one_case(&op, name);
		}

	op.buf = vbuf;
	op.len = OPLEN;
	for (rw = 0; rw < 4; rw++) {
		static const enum opkind k[4] = { OP_PREAD, OP_PWRITE,
						  OP_SEEK_READ, OP_SEEK_WRITE };
		static const char *n[4] = { "pread", "pwrite", "lseek_read",
					    "lseek_write" };

		for (o = 0; o < 6; o++) {
			op.kind = k[rw];
			op.off = offs[o];
			snprintf(name, sizeof(name), "%s_%d_bytes_off_%s", n[rw],
				 OPLEN, offname[o]);
			one_case(&op, name);
		}
	}

	op.off = 0;
	for (rw = 0; rw < 2; rw++)
		for (b = 0; b < 3; b++)
			for (l = 0; l < 4; l++) {
				op.kind = rw ? OP_WRITE : OP_READ;
				op.buf = bufs[b];
				op.len = lens[l];
				snprintf(name, sizeof(name), "%s_buf_%s_len_%s",
					 rw ? "write" : "read", bufname[b],
					 lenname[l]);
				one_case(&op, name);
			}

	op.kind = OP_APPEND;
	op.buf = vbuf;
	op.len = OPLEN;
	op.off = max_size;
	one_case(&op, "append_at_max_size_enospc");
	op.off = max_size - OPLEN / 2;
	one_case(&op, "append_crossing_max_size_short");

	rlimit_cases(&op);
	mmap_cases();

	unlink(ref_path);
	/* Leave the file as the other tests expect it: empty. */
	set_contents(path, "", 0);
	return ktap_failed();
}
