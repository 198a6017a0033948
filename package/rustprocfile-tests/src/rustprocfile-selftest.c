// SPDX-License-Identifier: GPL-2.0
/*
 * Boot-time self-test of /proc/rustfile, printed as KTAP.
 *
 * Usage: rustprocfile-selftest [PATH [MAX_SIZE]]
 * PATH defaults to /proc/rustfile; MAX_SIZE to the module's max_size
 * parameter from sysfs. Without either, it stops before its plan.
 *
 * Each case starts from an emptied file and checks return values, errno and
 * the file's contents, so one failing case does not hide the others.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "module-param.h"

static const char *path = "/proc/rustfile";
static long long max_size;

/* Reason the current case failed, reported on its "not ok" line. */
static char failure[256];

static int fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(failure, sizeof(failure), fmt, ap);
	va_end(ap);
	return -1;
}

/* Checks that a call returned @want, with errno @want_errno when -1. */
static int expect(const char *what, long long got, long long want, int want_errno)
{
	int err = errno;

	if (got != want)
		return fail("%s returned %lld (errno %d: %s), expected %lld",
			    what, got, got < 0 ? err : 0,
			    got < 0 ? strerror(err) : "-", want);
	if (want == -1 && err != want_errno)
		return fail("%s failed with %s, expected %s", what,
			    strerror(err), strerror(want_errno));
	return 0;
}

static int open_file(int flags)
{
	int fd = open(path, flags);

	if (fd < 0)
		fail("open(%s, %#x): %s", path, flags, strerror(errno));
	return fd;
}

/* Opens the file emptied (O_TRUNC) and read-write. */
static int open_empty(void)
{
	return open_file(O_RDWR | O_TRUNC);
}

/* Compares the whole file, read from offset 0, with @want. */
static int expect_contents(int fd, const char *want, size_t len)
{
	char *buf = malloc(len + 1);
	ssize_t n;

	if (!buf)
		return fail("out of memory");
	n = pread(fd, buf, len + 1, 0);
	if (n != (ssize_t)len) {
		free(buf);
		return fail("file holds %zd bytes, expected %zu", n, len);
	}
	if (memcmp(buf, want, len)) {
		free(buf);
		return fail("file contents differ from what was written");
	}
	free(buf);
	return 0;
}

static int expect_size(int fd, long long want)
{
	struct stat st;

	if (fstat(fd, &st))
		return fail("fstat: %s", strerror(errno));
	if (st.st_size != want)
		return fail("st_size is %lld, expected %lld",
			    (long long)st.st_size, want);
	return 0;
}

static int write_read_back(int fd)
{
	char buf[32] = { 0 };

	if (expect("write", write(fd, "hello world\n", 12), 12, 0) ||
	    expect("lseek(0, SEEK_SET)", lseek(fd, 0, SEEK_SET), 0, 0) ||
	    expect("read", read(fd, buf, sizeof(buf)), 12, 0))
		return -1;
	if (memcmp(buf, "hello world\n", 12))
		return fail("read back '%.12s'", buf);
	return expect_size(fd, 12);
}

static int seek_set_cur_end(int fd)
{
	char buf[8] = { 0 };

	if (expect("write", write(fd, "hello world\n", 12), 12, 0) ||
	    expect("lseek(6, SEEK_SET)", lseek(fd, 6, SEEK_SET), 6, 0) ||
	    expect("read", read(fd, buf, 5), 5, 0))
		return -1;
	if (memcmp(buf, "world", 5))
		return fail("read '%.5s' at offset 6", buf);
	return expect("lseek(-5, SEEK_CUR)", lseek(fd, -5, SEEK_CUR), 6, 0) ||
	       expect("lseek(0, SEEK_CUR)", lseek(fd, 0, SEEK_CUR), 6, 0) ||
	       expect("lseek(0, SEEK_END)", lseek(fd, 0, SEEK_END), 12, 0) ||
	       expect("lseek(-1, SEEK_END)", lseek(fd, -1, SEEK_END), 11, 0) ||
	       expect("lseek(100, SEEK_END)", lseek(fd, 100, SEEK_END), 112, 0);
}

static int seek_negative_einval(int fd)
{
	if (expect("write", write(fd, "abc", 3), 3, 0) ||
	    expect("lseek(-1, SEEK_SET)", lseek(fd, -1, SEEK_SET), -1, EINVAL) ||
	    expect("lseek(-4, SEEK_END)", lseek(fd, -4, SEEK_END), -1, EINVAL))
		return -1;
	/* A failed seek leaves the position where it was. */
	return expect("lseek(0, SEEK_CUR)", lseek(fd, 0, SEEK_CUR), 3, 0);
}

static int invalid_whence_einval(int fd)
{
	return expect("lseek(0, 42)", lseek(fd, 0, 42), -1, EINVAL) ||
	       expect("lseek(0, -1)", lseek(fd, 0, -1), -1, EINVAL);
}

static int overwrite_middle(int fd)
{
	if (expect("write", write(fd, "hello world\n", 12), 12, 0) ||
	    expect("lseek(6, SEEK_SET)", lseek(fd, 6, SEEK_SET), 6, 0) ||
	    expect("write", write(fd, "WORLD", 5), 5, 0) ||
	    expect("lseek(0, SEEK_CUR)", lseek(fd, 0, SEEK_CUR), 11, 0))
		return -1;
	return expect_contents(fd, "hello WORLD\n", 12) || expect_size(fd, 12);
}

static int read_at_eof(int fd)
{
	char buf[8];

	if (expect("write", write(fd, "abc", 3), 3, 0) ||
	    expect("read at EOF", read(fd, buf, sizeof(buf)), 0, 0) ||
	    expect("lseek(10, SEEK_SET)", lseek(fd, 10, SEEK_SET), 10, 0) ||
	    expect("read past EOF", read(fd, buf, sizeof(buf)), 0, 0) ||
	    expect("lseek(1, SEEK_SET)", lseek(fd, 1, SEEK_SET), 1, 0))
		return -1;
	/* A short read at EOF returns what is left. */
	return expect("short read", read(fd, buf, sizeof(buf)), 2, 0);
}

static int hole_reads_zeros(int fd)
{
	char want[5001];

	memset(want, 0, sizeof(want));
	memcpy(want, "ab", 2);
	want[5000] = 'z';
	if (expect("write", write(fd, "ab", 2), 2, 0) ||
	    expect("lseek(5000, SEEK_SET)", lseek(fd, 5000, SEEK_SET), 5000, 0) ||
	    expect("write past EOF", write(fd, "z", 1), 1, 0))
		return -1;
	return expect_size(fd, 5001) || expect_contents(fd, want, sizeof(want));
}

static int append_lands_at_end(int fd)
{
	int afd;
	int ret;

	if (expect("write", write(fd, "head", 4), 4, 0))
		return -1;
	afd = open_file(O_WRONLY | O_APPEND);
	if (afd < 0)
		return -1;
	ret = expect("lseek(0, SEEK_SET)", lseek(afd, 0, SEEK_SET), 0, 0) ||
	      expect("append write", write(afd, "tail", 4), 4, 0) ||
	      expect("position after append", lseek(afd, 0, SEEK_CUR), 8, 0) ||
	      expect("pwrite with O_APPEND", pwrite(afd, "!", 1, 0), 1, 0);
	close(afd);
	/* Like a regular file, O_APPEND makes pwrite append as well. */
	return ret || expect_contents(fd, "headtail!", 9);
}

static int trunc_at_open(int fd)
{
	char buf[4];
	int tfd;
	int ret;

	if (expect("write", write(fd, "data", 4), 4, 0))
		return -1;
	tfd = open_file(O_WRONLY | O_TRUNC);
	if (tfd < 0)
		return -1;
	close(tfd);
	ret = expect_size(fd, 0);
	return ret || expect("read after O_TRUNC", pread(fd, buf, sizeof(buf), 0), 0, 0);
}

static int data_survives_close(int fd)
{
	int rfd;
	int ret;

	if (expect("write", write(fd, "persist", 7), 7, 0))
		return -1;
	close(dup(fd));
	rfd = open_file(O_RDONLY);
	if (rfd < 0)
		return -1;
	ret = expect_contents(rfd, "persist", 7);
	close(rfd);
	return ret;
}

static int capacity_enospc(int fd)
{
	static char chunk[65536];
	long long total = 0;
	ssize_t n;
	char last = 0;

	memset(chunk, 'c', sizeof(chunk));
	/* Fill up to max_size; the write that crosses it is cut short. */
	while (total <= max_size) {
		n = write(fd, chunk, sizeof(chunk));
		if (n < 0)
			break;
		if (n == 0)
			return fail("write returned 0 at %lld", total);
		total += n;
	}
	if (total != max_size)
		return fail("wrote %lld bytes before failing, max_size is %lld",
			    total, max_size);
	if (expect("write when full", write(fd, "x", 1), -1, ENOSPC) ||
	    expect("pread last byte", pread(fd, &last, 1, max_size - 1), 1, 0))
		return -1;
	if (last != 'c')
		return fail("last byte is %#x", last);
	return expect_size(fd, max_size);
}

/*
 * A shared mapping and read(2)/write(2) see the same bytes, both ways, and
 * msync(MS_SYNC) succeeds, as on tmpfs.
 */
static int mmap_shared_coherent(int fd)
{
	char *m;
	char got[6] = "";
	int ret = -1;

	if (expect("write", write(fd, "hello", 5), 5, 0) ||
	    expect("ftruncate", ftruncate(fd, 8192), 0, 0))
		return -1;
	m = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (m == MAP_FAILED)
		return fail("mmap: %s", strerror(errno));
	if (memcmp(m, "hello", 5)) {
		fail("the mapping shows '%.5s', not the written 'hello'", m);
		goto out;
	}
	memcpy(m + 5000, "world", 5);
	if (expect("pread", pread(fd, got, 5, 5000), 5, 0))
		goto out;
	if (memcmp(got, "world", 5)) {
		fail("pread returns '%.5s', not 'world' stored through the mapping",
		     got);
		goto out;
	}
	if (expect("pwrite", pwrite(fd, "HELLO", 5, 0), 5, 0))
		goto out;
	if (memcmp(m, "HELLO", 5)) {
		fail("the mapping shows '%.5s' after a write of 'HELLO'", m);
		goto out;
	}
	if (expect("msync", msync(m, 8192, MS_SYNC), 0, 0))
		goto out;
	ret = expect_size(fd, 8192);
out:
	munmap(m, 8192);
	return ret;
}

struct test_case {
	const char *name;
	int (*run)(int fd);
};

static const struct test_case cases[] = {
	{ "write_read_back", write_read_back },
	{ "seek_set_cur_end", seek_set_cur_end },
	{ "seek_negative_einval", seek_negative_einval },
	{ "invalid_whence_einval", invalid_whence_einval },
	{ "overwrite_middle", overwrite_middle },
	{ "read_at_eof", read_at_eof },
	{ "hole_reads_zeros", hole_reads_zeros },
	{ "append_lands_at_end", append_lands_at_end },
	{ "trunc_at_open", trunc_at_open },
	{ "data_survives_close", data_survives_close },
	{ "capacity_enospc", capacity_enospc },
	{ "mmap_shared_coherent", mmap_shared_coherent },
};

int main(int argc, char **argv)
{
	const size_t n = sizeof(cases) / sizeof(cases[0]);
	size_t i;
	int failed = 0;

	if (argc > 1)
		path = argv[1];
	if (argc > 2)
		max_size = strtoll(argv[2], NULL, 0);
	else
		max_size = read_max_size();

	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("KTAP version 1\n");
	if (max_size <= 0) {
		printf("Bail out! no max_size: %s %s\n",
		       argc > 2 ? "bad argument" : MAX_SIZE_PARAM,
		       argc > 2 ? argv[2] : strerror(errno));
		return 1;
	}
	printf("# rustprocfile-selftest: %s, max_size %lld\n", path, max_size);
	printf("1..%zu\n", n);
	for (i = 0; i < n; i++) {
		int fd;
		int ret = -1;

		failure[0] = '\0';
		if (cases[i].run == mmap_shared_coherent && linux_6_12()) {
			printf("ok %zu %s # SKIP mmap(2) fails with EIO on Linux 6.12\n",
			       i + 1, cases[i].name);
			continue;
		}
		fd = open_empty();
		if (fd >= 0) {
			ret = cases[i].run(fd);
			close(fd);
		}
		if (ret) {
			failed++;
			printf("# %s: %s\n", cases[i].name, failure);
			printf("not ok %zu %s\n", i + 1, cases[i].name);
		} else {
			printf("ok %zu %s\n", i + 1, cases[i].name);
		}
	}
	/* Leave the file empty for whoever uses it next. */
	close(open(path, O_WRONLY | O_TRUNC));
	printf("# totals: pass:%zu fail:%d\n", n - failed, failed);
	return failed ? 1 : 0;
}
