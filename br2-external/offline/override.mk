################################################################################
#
# override: offline builds from the Debian archive (BR2_PACKAGE_OVERRIDE_FILE)
#
################################################################################

# Whether this output directory builds from the Debian archive was decided
# when it was configured (br2-external/scripts/source-mode.sh) and recorded
# next to its .config, with the cache it uses. Online, nothing here applies
# and Buildroot downloads and checks its own versions.
-include $(CONFIG_DIR)/rustprocfile-sources.mk

ifeq ($(RUSTPROCFILE_SOURCES),offline)

# Packages whose Debian source is not byte-identical to Buildroot's tarball,
# unpacked and prepared by debian_sources.py from sources.txt: one
# <PKG>_OVERRIDE_SRCDIR each.
-include $(RUSTPROCFILE_CACHE)/offline/overrides.mk

# No fakeroot source is downloadable from the archive; the stand-in runs the
# host's own fakeroot (or the command itself when building as root).
HOST_FAKEROOT_OVERRIDE_SRCDIR = $(BR2_EXTERNAL_RUSTPROCFILE_PATH)/br2-external/offline/fakeroot

# The kernel: the Debian orig tarball that debian_sources.py chose for the
# configured version (that version, or the newest of its series the
# archive has) is in BR2_DL_DIR as linux-<version>-debian.tar.xz, another
# name than kernel.org's tarball, whose hash it does not have.
# linux/linux-hash.mk adds its hash. This file is read before
# linux.mk, whose assignment of LINUX_VERSION the override directive wins
# over; the configuration keeps the upstream version, and so does the CPE
# identifier that CVE tracking (make show-info, pkg-stats) matches.
RUSTPROCFILE_OVERRIDE_LINUX_PIN = $(call qstrip,$(BR2_LINUX_KERNEL_CUSTOM_VERSION_VALUE))
RUSTPROCFILE_OVERRIDE_LINUX_VERSION := $(if $(RUSTPROCFILE_OVERRIDE_LINUX_PIN),$(firstword \
	$(shell cat $(RUSTPROCFILE_CACHE)/offline/linux-$(RUSTPROCFILE_OVERRIDE_LINUX_PIN).selected 2>/dev/null)))
ifneq ($(RUSTPROCFILE_OVERRIDE_LINUX_VERSION),)
override LINUX_VERSION = $(RUSTPROCFILE_OVERRIDE_LINUX_VERSION)-debian
override LINUX_CPE_ID_VERSION = $(RUSTPROCFILE_OVERRIDE_LINUX_VERSION)
endif

endif
