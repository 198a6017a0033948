/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared helpers of rustprocfile-stress: KTAP output, errno-style results,
 * checksums, clocks and the kernel's memory counters.
 */
#ifndef RUSTPROCFILE_TESTS_COMMON_H
#define RUSTPROCFILE_TESTS_COMMON_H

#include <stddef.h>
#include <stdint.h>

#include "module-param.h"

extern const char *path;

/* KTAP: the header and plan, then one line per case, numbered in order. */
void ktap_plan(const char *what, int cases);
void ktap_result(int ok, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* A "# " diagnostic line; safe to call from several threads. */
void diag(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Counts @n results printed by a child process, failed if @failed. */
void ktap_advance(int n, int failed);
int ktap_failed(void);

/* A syscall's result as the value it returned, or -errno if it failed. */
long long res(long long r);

uint64_t fnv1a(uint64_t h, const void *p, size_t n);
#define FNV_INIT 0xcbf29ce484222325ULL

uint64_t now_ns(void);
double now_s(void);

/* Checksum of the whole file read through @fd with pread, and its size. */
int file_sum(int fd, uint64_t *sum, long long *size);

/*
 * Accesses through a mapping that may fault: catch_sigbus() installs the
 * handler once, then load_byte() and store_byte() return 0, or -1 if the
 * access raised SIGBUS (and did nothing). Not for concurrent use by
 * several threads.
 */
void catch_sigbus(void);
int load_byte(const volatile char *p, char *out);
int store_byte(volatile char *p, char v);

/* Writes @text to the file @file (sysfs, cgroupfs): 0 or -1. */
int put_text(const char *file, const char *text);

/* Lets freed slab objects settle: RCU callbacks, per-CPU caches. */
void settle_memory(void);

/*
 * The module charges its memory (data pages, index nodes, the bounce
 * buffer) to the memory cgroup of the task that writes, as tmpfs does; its
 * data pages are whole pages, not slab objects, so SUnreclaim does not show
 * them. A test that checks what the module holds moves itself into a
 * memory cgroup of its own, /sys/fs/cgroup/@name (enter_memcg(), 0 or -1),
 * and reads the kernel memory charged there: the "kernel" line of its
 * memory.stat, in KiB (memcg_kernel_kib(), -1 if it cannot be read).
 * leave_memcg() moves the process back to the root and removes the cgroup.
 */
#define CGROOT "/sys/fs/cgroup"
int enter_memcg(const char *name);
/* Creates the memory cgroup @dir (cgroup2 mounted at CGROOT if it is not,
 * the memory controller enabled below the root): 0, or -1. */
int make_memcg(const char *dir);
long long memcg_kernel_kib(void);
void leave_memcg(void);

/* Each test: argc/argv after the subcommand name; returns the exit code. */
int run_stress(int argc, char **argv);
int run_reload(int argc, char **argv);
int run_unpriv(int argc, char **argv);
int run_badinput(int argc, char **argv);
int run_stuckreader(int argc, char **argv);
int run_mounts(int argc, char **argv);
int run_memcg(int argc, char **argv);

#endif
