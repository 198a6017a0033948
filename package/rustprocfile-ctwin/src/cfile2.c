// SPDX-License-Identifier: GPL-2.0
/*
 * cfile2: the C twin again, as a second module creating /proc/cfile2.
 *
 * The benchmark's control: the same code as cfile, loaded at another
 * address. Under TCG, where a module lands changes its speed; the ratio
 * cfile2/cfile shows by how much for identical code, which is the
 * resolution of the rust/c ratios measured in the same boot.
 */

#define CF_DEFAULT_NAME	"cfile2"
#include "cfile.c"
