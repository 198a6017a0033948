// SPDX-License-Identifier: GPL-2.0
/*
 * The rustprocfile module's parameters from sysfs, and its kernel series
 * (module-param.h).
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>

#include "module-param.h"

long long read_max_size(void)
{
	FILE *f = fopen(MAX_SIZE_PARAM, "r");
	long long v = -1;
	int ok;

	if (!f)
		return -1;
	ok = fscanf(f, "%lld", &v) == 1 && v > 0;
	fclose(f);
	if (!ok) {
		errno = EINVAL;
		return -1;
	}
	return v;
}

int linux_6_12(void)
{
	struct utsname u;

	return !uname(&u) && !strncmp(u.release, "6.12.", 5);
}
