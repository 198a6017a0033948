// SPDX-License-Identifier: GPL-2.0
/*
 * unpriv: an unprivileged user against the default mode 0644.
 *
 * A child process drops to UID:UID (default 1000), no supplementary
 * groups, and tries every way it has to change the file or make the module
 * allocate: open for writing, O_TRUNC, truncate, chmod, chown, writes on a
 * read-only descriptor, and the module's parameters in sysfs. Reading must
 * work. Afterwards the parent checks that the contents did not change and
 * that the module allocated nothing: the kernel memory charged to the
 * test's memory cgroup, where the child runs, must not grow after thousands
 * of page-sized write attempts (a page each, had any of them allocated).
 * The module's stats file, if any, is printed too.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common.h"

#define STATS "/proc/rustprocfile/stats"
#define CONTENT 8192
#define ATTEMPTS 2000
#define CHILD_CASES 12

static char content[CONTENT];

/* Reads the whole stats file, if the module has one. */
static int read_stats(char *buf, size_t len)
{
	int fd = open(STATS, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -1;
	buf[n] = 0;
	return 0;
}

static void expect_err(const char *name, long long r, int want)
{
	ktap_result(r == -want, "unpriv_%s", name);
	if (r != -want)
		diag("%s returned %lld (%s), expected %s", name, r,
		     r < 0 ? strerror((int)-r) : "success", strerror(want));
}

static void child(uid_t uid)
{
	static char buf[CONTENT + 1], page[4096];
	long long r;
	int fd, i, wrote = 0;

	if (setgroups(0, NULL) || setgid(uid) || setuid(uid)) {
		diag("cannot drop to uid %d: %s", (int)uid, strerror(errno));
		exit(3);
	}
	fd = open(path, O_RDONLY);
	r = fd < 0 ? -errno : read(fd, buf, sizeof(buf));
	ktap_result(r == CONTENT && !memcmp(buf, content, CONTENT),
		    "unpriv_read_works");
	if (r != CONTENT)
		diag("read as uid %d: %lld", (int)uid, r);

	expect_err("open_wronly_eacces", res(open(path, O_WRONLY)), EACCES);
	expect_err("open_rdwr_eacces", res(open(path, O_RDWR)), EACCES);
	expect_err("open_append_eacces", res(open(path, O_WRONLY | O_APPEND)), EACCES);
	/* The module empties the file when it sees O_TRUNC in open; the VFS
	 * must refuse it before, also on a read-only open. */
	expect_err("open_rdonly_trunc_eacces", res(open(path, O_RDONLY | O_TRUNC)), EACCES);
	expect_err("truncate_eacces", res(truncate(path, 0)), EACCES);
	expect_err("chmod_eperm", res(chmod(path, 0666)), EPERM);
	expect_err("chown_eperm", res(chown(path, uid, uid)), EPERM);
	expect_err("param_write_eacces",
		   res(open("/sys/module/" MODULE_NAME "/parameters/max_size", O_WRONLY)),
		   EACCES);

	/* The descriptor he may have: every write through it is refused. */
	memset(page, 'u', sizeof(page));
	for (i = 0; fd >= 0 && i < ATTEMPTS; i++) {
		r = res(pwrite(fd, page, sizeof(page), (off_t)i * 4096 + CONTENT));
		if (r != -EBADF)
			wrote++;
		r = res(write(fd, page, sizeof(page)));
		if (r != -EBADF)
			wrote++;
	}
	ktap_result(fd >= 0 && wrote == 0, "unpriv_write_on_rdonly_fd_ebadf");
	/* Seeking is read-only: it must work and change nothing. */
	r = fd < 0 ? -1 : lseek(fd, 1 << 20, SEEK_SET);
	ktap_result(r == 1 << 20 && lseek(fd, 0, SEEK_DATA) == 0 &&
		    lseek(fd, 0, SEEK_HOLE) == CONTENT &&
		    lseek(fd, 0, SEEK_END) == CONTENT,
		    "unpriv_lseek_works");
	/* Reading past the end, up to the largest offset, returns 0. */
	r = fd < 0 ? -1 : res(pread(fd, buf, sizeof(buf),
				    LLONG_MAX - (long long)sizeof(buf)));
	ktap_result(r == 0, "unpriv_read_past_end");
	if (fd >= 0)
		close(fd);
	exit(ktap_failed());
}

int run_unpriv(int argc, char **argv)
{
	uid_t uid = 1000;
	int tolerance = 1024, opt, fd, status, have_stats;
	long long before_kib, after_kib, size;
	uint64_t sum0, sum1;
	static char stats0[4096], stats1[4096];
	struct stat st;
	pid_t pid;
	size_t i;

	while ((opt = getopt(argc, argv, "u:m:")) != -1) {
		switch (opt) {
		case 'u': uid = (uid_t)atoi(optarg); break;
		case 'm': tolerance = atoi(optarg); break;
		default: return 2;
		}
	}
	ktap_plan("unpriv", 3 + CHILD_CASES);
	for (i = 0; i < sizeof(content); i++)
		content[i] = (char)('a' + i % 26);
	fd = open(path, O_RDWR | O_TRUNC);
	ktap_result(fd >= 0 && write(fd, content, CONTENT) == CONTENT &&
		    stat(path, &st) == 0 && (st.st_mode & 07777) == 0644 &&
		    st.st_uid == 0,
		    "unpriv_setup_mode_0644_owner_root");
	if (fd < 0 || file_sum(fd, &sum0, &size))
		return 1;
	have_stats = read_stats(stats0, sizeof(stats0)) == 0;
	if (enter_memcg("rustprocfile-unpriv"))
		diag("cannot enter a memory cgroup: %s", strerror(errno));
	settle_memory();
	before_kib = memcg_kernel_kib();

	pid = fork();
	if (pid == 0)
		child(uid);
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status) == 3) {
		diag("child failed to run");
		return 1;
	}
	/* The child printed its own results with the numbers that follow
	 * ours; take them over, and its verdict. */
	ktap_advance(CHILD_CASES, WEXITSTATUS(status) != 0);

	fd = fd >= 0 ? fd : open(path, O_RDONLY);
	ktap_result(file_sum(fd, &sum1, &size) == 0 && sum1 == sum0 &&
		    size == CONTENT, "unpriv_contents_unchanged");
	close(fd);

	settle_memory();
	after_kib = memcg_kernel_kib();
	leave_memcg();
	if (have_stats) {
		/* Printed for the record: the stats file is new and its
		 * layout not settled, so the verdict comes from the memory
		 * cgroup, which any allocation by the module shows. */
		read_stats(stats1, sizeof(stats1));
		/* One diagnostic line each, whatever the file's layout. */
		for (i = 0; stats0[i]; i++)
			stats0[i] = stats0[i] == '\n' ? ';' : stats0[i];
		for (i = 0; stats1[i]; i++)
			stats1[i] = stats1[i] == '\n' ? ';' : stats1[i];
		diag("stats before: %s", stats0);
		diag("stats after: %s", stats1);
	}
	diag("kernel memory charged to the test: %lld KiB before, %lld KiB after %d refused page writes, tolerance %d KiB",
	     before_kib, after_kib, 2 * ATTEMPTS, tolerance);
	ktap_result(before_kib >= 0 && after_kib >= 0 &&
		    after_kib - before_kib <= tolerance,
		    "unpriv_no_allocation");
	return ktap_failed();
}
