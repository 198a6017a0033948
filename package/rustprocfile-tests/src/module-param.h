/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The rustprocfile module's parameters, as the test programs read them
 * from sysfs, and the kernel series it runs on.
 */
#ifndef RUSTPROCFILE_TESTS_MODULE_PARAM_H
#define RUSTPROCFILE_TESTS_MODULE_PARAM_H

#define MODULE_NAME "rustprocfile"
#define MAX_SIZE_PARAM "/sys/module/" MODULE_NAME "/parameters/max_size"

/*
 * procfs's largest file size (MAX_NON_LFS, its s_maxbytes): writes and
 * truncates of the file stop there, and max_size is at most this.
 */
#define PROC_LIMIT 2147483647LL

/*
 * The module's max_size in bytes, or -1 with errno set if the parameter
 * cannot be read (ENOENT: the module is not loaded) or is not a positive
 * number (EINVAL). Each program reports the failure in its own output.
 */
long long read_max_size(void);

/*
 * Whether the kernel is of the Linux 6.12 series, whose patches have fewer
 * of procfs's changes (README, "Which kernel"): the tests of what they lack
 * report '# SKIP Linux 6.12 series' there.
 */
int linux_6_12(void);

#endif
