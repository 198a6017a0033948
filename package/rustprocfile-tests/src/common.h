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
 * Unreclaimable slab memory in KiB (SUnreclaim in /proc/meminfo): where
 * kmalloc'ed objects, the module's pages and index nodes among them, are
 * counted. -1 if it cannot be read.
 */
long long slab_unreclaim_kib(void);

/* Lets freed slab objects settle: RCU callbacks, per-CPU caches. */
void settle_memory(void);

/* Each test: argc/argv after the subcommand name; returns the exit code. */
int run_stress(int argc, char **argv);
int run_reload(int argc, char **argv);
int run_unpriv(int argc, char **argv);
int run_badinput(int argc, char **argv);
int run_stuckreader(int argc, char **argv);
int run_mounts(int argc, char **argv);
int run_memcg(int argc, char **argv);

#endif
