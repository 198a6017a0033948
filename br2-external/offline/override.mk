################################################################################
#
# override: offline builds from the Debian archive (BR2_PACKAGE_OVERRIDE_FILE)
#
################################################################################

# The top-level Makefile passes RUSTPROCFILE_OFFLINE=y when the sources come
# from the Debian archive (br2-external/scripts/source-mode.sh) and exports
# RUSTPROCFILE_CACHE. Online, nothing here applies and Buildroot downloads
# and checks its own versions.
ifeq ($(RUSTPROCFILE_OFFLINE),y)

RUSTPROCFILE_OVERRIDE_CACHE = $(or $(RUSTPROCFILE_CACHE),$(or $(XDG_CACHE_HOME),$(HOME)/.cache)/rustprocfile)

# Packages whose Debian source is not byte-identical to Buildroot's tarball:
# debian_sources.py unpacked and prepared each into override/<package>
# (a Buildroot package name such as host-kmod), built here through
# <PKG>_OVERRIDE_SRCDIR.
RUSTPROCFILE_OVERRIDE_PACKAGES = \
	$(patsubst $(RUSTPROCFILE_OVERRIDE_CACHE)/override/%/.prepared,%, \
		$(wildcard $(RUSTPROCFILE_OVERRIDE_CACHE)/override/*/.prepared))
$(foreach pkg,$(RUSTPROCFILE_OVERRIDE_PACKAGES),\
	$(eval $(call UPPERCASE,$(pkg))_OVERRIDE_SRCDIR = $(RUSTPROCFILE_OVERRIDE_CACHE)/override/$(pkg)))

# No fakeroot source is downloadable from the archive; the stand-in runs the
# host's own fakeroot (or the command itself when building as root).
HOST_FAKEROOT_OVERRIDE_SRCDIR = $(BR2_EXTERNAL_RUSTPROCFILE_PATH)/br2-external/offline/fakeroot

# The kernel: the Debian orig tarball that debian_sources.py chose for the
# configured version (that version, or the newest of its series the
# archive has) is in BR2_DL_DIR as linux-<version>-debian.tar.xz, another
# name than kernel.org's tarball, whose hash it does not have.
# br2-external/offline/linux-hash.mk adds its hash. This file is read before
# linux.mk, whose assignment of LINUX_VERSION the override directive wins
# over; the configuration keeps the upstream version.
RUSTPROCFILE_OVERRIDE_LINUX_PIN = $(call qstrip,$(BR2_LINUX_KERNEL_CUSTOM_VERSION_VALUE))
RUSTPROCFILE_OVERRIDE_LINUX_VERSION := $(if $(RUSTPROCFILE_OVERRIDE_LINUX_PIN),$(firstword \
	$(shell cat $(RUSTPROCFILE_OVERRIDE_CACHE)/offline/linux-$(RUSTPROCFILE_OVERRIDE_LINUX_PIN).selected 2>/dev/null)))
ifneq ($(RUSTPROCFILE_OVERRIDE_LINUX_VERSION),)
override LINUX_VERSION = $(RUSTPROCFILE_OVERRIDE_LINUX_VERSION)-debian
endif

endif
