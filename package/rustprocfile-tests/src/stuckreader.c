// SPDX-License-Identifier: GPL-2.0
/*
 * stuckreader: a reader stalled inside its copy to user space must hold up
 * nobody else.
 *
 * The reader's buffer is a userfaultfd region whose faults are never
 * served, so its pread() sleeps in the copy for as long as the test wants,
 * as it would with a buffer on FUSE. Meanwhile other processes write,
 * truncate, seek and read the statistics; each must finish within 2 s, as
 * on tmpfs, where readers hold no lock across the copy. Then rmmod runs
 * while the reader is still stuck (procfs waits for callbacks in progress),
 * the reader is released, and both must finish: the reader with a count or
 * a clean error, rmmod cleanly. The run script loads the module again.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/userfaultfd.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common.h"

#define REGION (64 * 1024)
#define STATS "/proc/" MODULE_NAME "/stats"
#define DEADLINE_MS 2000

static char *region;
static atomic_int reader_done;
static long long reader_result;

static void *stuck_reader(void *arg)
{
	int fd = *(int *)arg;

	reader_result = res(pread(fd, region, REGION, 0));
	atomic_store(&reader_done, 1);
	return NULL;
}

/* One operation in a child process on its own descriptor; 0 on success. */
static int child_op(int op)
{
	char buf[4096];
	int fd = open(op == 4 ? STATS : path, op == 4 ? O_RDONLY : O_RDWR);

	if (fd < 0)
		return 1;
	memset(buf, 'w', sizeof(buf));
	switch (op) {
	case 0:
		return pwrite(fd, buf, sizeof(buf), 8192) != sizeof(buf);
	case 1:
		return ftruncate(fd, REGION / 2) || ftruncate(fd, REGION);
	case 2:
		return lseek(fd, 0, SEEK_END) != REGION;
	case 3:
		return lseek(fd, 100, SEEK_DATA) != 100;
	case 4:
		return read(fd, buf, sizeof(buf)) <= 0;
	}
	return 1;
}

/* Waits up to @ms for @pid; its exit status, or -1 (killed) on timeout. */
static int wait_deadline(pid_t pid, long ms, long *took)
{
	uint64_t start = now_ns();
	int status;

	for (;;) {
		pid_t r = waitpid(pid, &status, WNOHANG);

		*took = (long)((now_ns() - start) / 1000000);
		if (r == pid)
			return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
		if (*took > ms) {
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			return -1;
		}
		usleep(10000);
	}
}

int run_stuckreader(int argc, char **argv)
{
	static const char *const names[] = {
		"stuck_reader_pwrite_completes", "stuck_reader_ftruncate_completes",
		"stuck_reader_lseek_end_completes", "stuck_reader_seek_data_completes",
		"stuck_reader_stats_read_completes",
	};
	struct uffdio_api api = { .api = UFFD_API };
	struct uffdio_register reg;
	char fill[4096];
	pthread_t thread;
	int fd, uffd, i, status;
	long took;
	pid_t rmmod;

	(void)argc;
	(void)argv;
	ktap_plan("stuckreader", 8);
	fd = open(path, O_RDWR | O_TRUNC);
	memset(fill, 'r', sizeof(fill));
	for (i = 0; fd >= 0 && i < REGION / (int)sizeof(fill); i++)
		if (write(fd, fill, sizeof(fill)) != sizeof(fill))
			break;
	uffd = (int)syscall(SYS_userfaultfd, O_CLOEXEC);
	region = mmap(NULL, REGION, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	reg.range.start = (unsigned long)region;
	reg.range.len = REGION;
	reg.mode = UFFDIO_REGISTER_MODE_MISSING;
	if (fd < 0 || i != REGION / (int)sizeof(fill) || uffd < 0 ||
	    region == MAP_FAILED || ioctl(uffd, UFFDIO_API, &api) ||
	    ioctl(uffd, UFFDIO_REGISTER, &reg)) {
		diag("setup: %s", strerror(errno));
		ktap_result(0, "stuck_reader_setup");
		for (i = 0; i < 7; i++)
			ktap_result(0, "stuck_reader_case_%d # SKIP no setup", i);
		return 1;
	}
	ktap_result(1, "stuck_reader_setup");
	pthread_create(&thread, NULL, stuck_reader, &fd);
	usleep(300000);
	if (atomic_load(&reader_done))
		diag("the reader returned %lld before it was released",
		     reader_result);

	for (i = 0; i < 5; i++) {
		pid_t pid = fork();

		if (pid == 0)
			_exit(child_op(i));
		status = wait_deadline(pid, DEADLINE_MS, &took);
		diag("%s: status %d after %ld ms", names[i], status, took);
		ktap_result(status == 0 && !atomic_load(&reader_done), "%s",
			    names[i]);
	}

	/* rmmod waits for the stuck callback; release the reader under it. */
	rmmod = fork();
	if (rmmod == 0) {
		execlp("rmmod", "rmmod", MODULE_NAME, (char *)NULL);
		_exit(127);
	}
	usleep(300000);
	close(uffd);	/* the faults are served as ordinary ones from now */
	for (i = 0; i < 500 && !atomic_load(&reader_done); i++)
		usleep(10000);
	if (atomic_load(&reader_done))
		pthread_join(thread, NULL);
	diag("reader: %lld after release", reader_result);
	ktap_result(atomic_load(&reader_done) &&
		    (reader_result == REGION || reader_result == -EIO),
		    "stuck_reader_released_returns");
	status = wait_deadline(rmmod, 5000, &took);
	diag("rmmod: status %d after %ld ms", status, took);
	ktap_result(status == 0 || (status > 0 && access(path, F_OK) == 0),
		    "stuck_reader_rmmod_completes");
	close(fd);
	return ktap_failed() ? 1 : 0;
}
