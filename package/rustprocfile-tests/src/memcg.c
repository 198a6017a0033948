// SPDX-License-Identifier: GPL-2.0
/*
 * memcg: the file's memory is charged to the memory cgroup of the process
 * that writes it, as tmpfs's pages are, and uncharged when it is freed.
 *
 * A child in a new cgroup (cgroup2) writes WRITE_BYTES to the empty file
 * (the run script loads the module with a max_size that allows it);
 * memory.current of the cgroup must grow by about that much (data chunks,
 * index nodes and the bounce buffer, within the controller's charge
 * batching), and drop by about that much when the parent, outside the
 * cgroup, truncates the file to 0. The
 * same measurement on a tmpfs file is printed for comparison.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common.h"

#define CG CGROOT "/rustprocfile-test"
#define WRITE_BYTES (2 * 1024 * 1024)
#define PIECE (64 * 1024)
/*
 * The memory controller charges in batches of 64 pages per CPU
 * (MEMCG_CHARGE_BATCH), so memory.current may be up to 256 KiB ahead of or
 * behind what is in use; the index nodes and the bounce buffer add about
 * 16 KiB.
 */
#define BATCH (256 * 1024)
/*
 * At most twice the data: a kernel with KASAN or slab red zones (the
 * debug image) gives each 4 KiB chunk an 8 KiB slot, and charges it.
 */
#define MOST (2 * WRITE_BYTES + BATCH + 128 * 1024)

static long long current(void)
{
	char buf[64] = "";
	int fd = open(CG "/memory.current", O_RDONLY);
	ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);

	if (fd >= 0)
		close(fd);
	return n > 0 ? atoll(buf) : -1;
}

/* Growth of memory.current while a child in the cgroup writes to @file;
 * the child exits before this returns. -1 on a setup failure. */
static long long charged(const char *file)
{
	int go[2], done[2];
	long long before, after;
	char c = 0;
	pid_t pid;

	if (pipe(go) || pipe(done))
		return -1;
	pid = fork();
	if (pid == 0) {
		static char buf[PIECE];
		char pidtext[32];
		int fd, i;

		snprintf(pidtext, sizeof(pidtext), "%d", getpid());
		memset(buf, 'm', sizeof(buf));
		fd = open(file, O_WRONLY);
		if (fd < 0 || put_text(CG "/cgroup.procs", pidtext))
			_exit(1);
		/* Ready, buffer touched; wait for the parent's first reading. */
		if (write(done[1], &c, 1) != 1 || read(go[0], &c, 1) != 1)
			_exit(1);
		for (i = 0; i < WRITE_BYTES / PIECE; i++)
			if (pwrite(fd, buf, PIECE, (off_t)i * PIECE) != PIECE)
				_exit(1);
		if (write(done[1], &c, 1) != 1)
			_exit(1);
		pause();
		_exit(0);
	}
	if (pid < 0 || read(done[0], &c, 1) != 1)
		return -1;
	before = current();
	if (write(go[1], &c, 1) != 1 || read(done[0], &c, 1) != 1)
		return -1;
	after = current();
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	close(go[0]);
	close(go[1]);
	close(done[0]);
	close(done[1]);
	return before < 0 || after < 0 ? -1 : after - before;
}

int run_memcg(int argc, char **argv)
{
	char tmpfile[] = "/tmp/rustprocfile-memcg.XXXXXX";
	long long grew, freed = 0, before, tmpfs;
	int fd, i;

	(void)argc;
	(void)argv;
	ktap_plan("memcg", 3);
	make_memcg(CG);
	fd = open(path, O_RDWR);
	if (fd < 0 || ftruncate(fd, 0) || access(CG "/memory.current", F_OK)) {
		diag("setup: %s", strerror(errno));
		ktap_result(0, "memcg_setup");
		ktap_result(0, "memcg_write_charged # SKIP no setup");
		ktap_result(0, "memcg_truncate_uncharged # SKIP no setup");
		rmdir(CG);
		return 1;
	}
	ktap_result(1, "memcg_setup");
	grew = charged(path);
	diag("memory.current grew by %lld bytes for %d bytes written", grew,
	     WRITE_BYTES);
	ktap_result(grew >= WRITE_BYTES - BATCH && grew <= MOST,
		    "memcg_write_charged");
	before = current();
	if (!ftruncate(fd, 0)) {
		/* Freed objects leave the charge as the slab frees them. */
		for (i = 0; i < 100; i++) {
			freed = before - current();
			if (freed >= WRITE_BYTES - BATCH)
				break;
			usleep(10000);
		}
	}
	diag("memory.current fell by %lld bytes after truncate to 0", freed);
	ktap_result(freed >= WRITE_BYTES - BATCH, "memcg_truncate_uncharged");
	close(fd);

	fd = mkstemp(tmpfile);
	if (fd >= 0) {
		close(fd);
		tmpfs = charged(tmpfile);
		diag("tmpfs for comparison: memory.current grew by %lld bytes",
		     tmpfs);
		unlink(tmpfile);
	}
	rmdir(CG);
	return ktap_failed() ? 1 : 0;
}
