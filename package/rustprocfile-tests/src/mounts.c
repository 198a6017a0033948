// SPDX-License-Identifier: GPL-2.0
/*
 * mounts: the file through two procfs mounts in one boot.
 *
 * Each procfs mount (one per container, unshare --mount-proc) has an inode
 * of its own for the entry. Writes and truncates through either must show
 * in fstat(2) and stat(2) through both, equal to lseek(SEEK_END) and to
 * the size the test expects, after every step, and the contents read
 * through either must be the same. The file is also mapped through both
 * mounts, some steps store through a mapping, and after every step bytes
 * loaded through both mappings must be the file's (zeros past the end in
 * the last page) and a page wholly past the end must raise SIGBUS: a
 * truncate through one mount unmaps through the other.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common.h"

#define STEPS 300
#define SPAN (256 * 1024)
#define MAXLEN 8192
#define PAGE 4096
/* Both mappings cover the span and the page after it. */
#define MAPLEN (SPAN + PAGE)
#define PROBES 16

static uint64_t rng = 0x9e3779b97f4a7c15ULL;

static uint64_t next_rand(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

/* Sizes through both descriptors and paths; 0 if all equal @want. */
static int sizes_agree(const int fd[2], char *const name[2], long long want,
		       int step)
{
	struct stat st;
	int i;

	for (i = 0; i < 2; i++) {
		long long end = lseek(fd[i], 0, SEEK_END);
		long long fsz = fstat(fd[i], &st) ? -1 : (long long)st.st_size;
		long long psz = stat(name[i], &st) ? -1 : (long long)st.st_size;

		if (end != want || fsz != want || psz != want) {
			diag("step %d, mount %d: SEEK_END %lld, fstat %lld, stat %lld, expected %lld",
			     step, i, end, fsz, psz, want);
			return 1;
		}
	}
	return 0;
}

/*
 * Loads PROBES random bytes through each mapping: the file's bytes below
 * @size, zeros in the rest of its last page, SIGBUS past it. 0 if so.
 */
static int maps_agree(char *const m[2], const unsigned char *shadow,
		      long long size, int step)
{
	long long mapped = (size + PAGE - 1) / PAGE * PAGE;
	int i, k;

	for (i = 0; i < 2; i++)
		for (k = 0; k < PROBES; k++) {
			long long off = (long long)(next_rand() % MAPLEN);
			int want = off < size ? shadow[off] : off < mapped ? 0 : -1;
			char c;
			int got = load_byte(m[i] + off, &c) ? -1 : (unsigned char)c;

			if (got != want) {
				diag("step %d, mapping %d, offset %lld (size %lld): loaded %d, expected %d (-1: SIGBUS)",
				     step, i, off, size, got, want);
				return 1;
			}
		}
	return 0;
}

int run_mounts(int argc, char **argv)
{
	static unsigned char shadow[SPAN], buf[SPAN], data[MAXLEN];
	char dir[] = "/tmp/rustprocfile-proc2.XXXXXX";
	char other[64];
	char *name[2] = { (char *)path, other };
	long long size = 0;
	int fd[2] = { -1, -1 }, step, i, sizes_bad = 0, data_bad = 0;
	int maps_bad = 0;
	char *m[2] = { MAP_FAILED, MAP_FAILED };

	(void)argc;
	(void)argv;
	ktap_plan("mounts", 4);
	if (linux_6_12()) {
		/* The 6.12 series reports each inode's own size. */
		ktap_result(1, "mounts_setup # SKIP Linux 6.12 series");
		ktap_result(1, "mounts_sizes_agree_after_every_step # SKIP Linux 6.12 series");
		ktap_result(1, "mounts_mappings_agree_after_every_step # SKIP Linux 6.12 series");
		ktap_result(1, "mounts_contents_agree # SKIP Linux 6.12 series");
		return 0;
	}
	if (!mkdtemp(dir) || mount("proc", dir, "proc", 0, NULL)) {
		diag("mount proc on %s: %s", dir, strerror(errno));
		ktap_result(0, "mounts_setup");
		ktap_result(0, "mounts_sizes_agree_after_every_step # SKIP no setup");
		ktap_result(0, "mounts_mappings_agree_after_every_step # SKIP no setup");
		ktap_result(0, "mounts_contents_agree # SKIP no setup");
		return 1;
	}
	snprintf(other, sizeof(other), "%s%s", dir, strrchr(path, '/'));
	catch_sigbus();
	for (i = 0; i < 2; i++) {
		fd[i] = open(name[i], O_RDWR);
		if (fd[i] >= 0)
			m[i] = mmap(NULL, MAPLEN, PROT_READ | PROT_WRITE,
				    MAP_SHARED, fd[i], 0);
	}
	ktap_result(fd[0] >= 0 && fd[1] >= 0 && m[0] != MAP_FAILED &&
		    m[1] != MAP_FAILED && !ftruncate(fd[0], 0), "mounts_setup");
	if (m[0] == MAP_FAILED || m[1] == MAP_FAILED) {
		diag("mmap: %s", strerror(errno));
		maps_bad = 1;
	}
	memset(shadow, 0, sizeof(shadow));
	for (step = 0; step < STEPS && fd[0] >= 0 && fd[1] >= 0 && !maps_bad;
	     step++) {
		int via = next_rand() & 1;
		uint64_t kind = next_rand() % 5;

		if (kind == 4 && size > 0) {
			/* A store through one mount's mapping, in the file. */
			long long off = (long long)(next_rand() % size);
			size_t len = 1 + next_rand() % MAXLEN;

			if (off + (long long)len > size)
				len = (size_t)(size - off);
			for (i = 0; i < (int)len; i++)
				data[i] = (unsigned char)next_rand();
			memcpy(m[via] + off, data, len);
			memcpy(shadow + off, data, len);
		} else if (kind < 2 || kind == 4) {
			long long off = (long long)(next_rand() % (SPAN - MAXLEN));
			size_t len = 1 + next_rand() % MAXLEN;

			for (i = 0; i < (int)len; i++)
				data[i] = (unsigned char)next_rand();
			if (pwrite(fd[via], data, len, off) != (ssize_t)len) {
				diag("step %d: pwrite: %s", step, strerror(errno));
				sizes_bad = 1;
				break;
			}
			memcpy(shadow + off, data, len);
			if (off + (long long)len > size)
				size = off + (long long)len;
		} else {
			long long to = (long long)(next_rand() % SPAN);
			int r = kind == 2 ? ftruncate(fd[via], to) :
					    truncate(name[via], to);

			if (r) {
				diag("step %d: truncate: %s", step, strerror(errno));
				sizes_bad = 1;
				break;
			}
			if (to < size)
				memset(shadow + to, 0, (size_t)(size - to));
			size = to;
		}
		if (sizes_agree(fd, name, size, step)) {
			sizes_bad = 1;
			break;
		}
		if (maps_agree(m, shadow, size, step))
			maps_bad = 1;
	}
	ktap_result(!sizes_bad, "mounts_sizes_agree_after_every_step");
	ktap_result(!sizes_bad && !maps_bad,
		    "mounts_mappings_agree_after_every_step");
	for (i = 0; i < 2 && !data_bad; i++) {
		ssize_t n = fd[i] < 0 ? -1 : pread(fd[i], buf, sizeof(buf), 0);

		if (n != size || memcmp(buf, shadow, (size_t)size)) {
			diag("mount %d: read %zd bytes, expected %lld; contents %s",
			     i, n, size, n == size ? "differ" : "-");
			data_bad = 1;
		}
	}
	ktap_result(!sizes_bad && !data_bad, "mounts_contents_agree");
	for (i = 0; i < 2; i++) {
		if (m[i] != MAP_FAILED)
			munmap(m[i], MAPLEN);
		if (fd[i] >= 0)
			close(fd[i]);
	}
	umount(dir);
	rmdir(dir);
	return ktap_failed() ? 1 : 0;
}
