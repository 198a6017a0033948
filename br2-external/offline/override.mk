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

# host-e2fsprogs (mkfs.ext4 for ext4 root filesystems): Buildroot's recipe
# autoreconfs with host-gettext (gettext-tiny, not in Debian) and selects
# host-util-linux (2.41, and host-zlib 1.3.2, whose Debian origs are other
# releases and repacks). The stand-in links the host's own e2fsprogs tools
# instead, and host-util-linux installs nothing: with the stand-in nothing
# links its libraries (a configuration that runs its tools would need the
# real package). override wins over the assignments of the packages' .mk
# files, read after this file.
HOST_E2FSPROGS_OVERRIDE_SRCDIR = $(BR2_EXTERNAL_RUSTPROCFILE_PATH)/br2-external/offline/host-tools
override HOST_E2FSPROGS_DEPENDENCIES =
override HOST_E2FSPROGS_AUTORECONF = NO
override HOST_E2FSPROGS_CONF_OPTS = --with-host-tools="mke2fs mkfs.ext2 mkfs.ext3 \
	mkfs.ext4 tune2fs e2fsck resize2fs debugfs dumpe2fs e2label"
HOST_UTIL_LINUX_OVERRIDE_SRCDIR = $(BR2_EXTERNAL_RUSTPROCFILE_PATH)/br2-external/offline/host-tools
override HOST_UTIL_LINUX_DEPENDENCIES =
override HOST_UTIL_LINUX_AUTORECONF = NO
override HOST_UTIL_LINUX_CONF_OPTS = --with-host-tools=

# host-bison, host-flex (the kernel's dtc, built when the kernel builds
# device trees): Buildroot builds its own for reproducibility, and flex's
# recipe autoreconfs with autopoint (host-gettext again). The host's
# bison and flex, which the kernel's kconfig already uses
# (support/dependencies/check-host-bison-flex.mk), serve instead: both
# stand-ins install nothing.
HOST_BISON_OVERRIDE_SRCDIR = $(BR2_EXTERNAL_RUSTPROCFILE_PATH)/br2-external/offline/host-tools
override HOST_BISON_DEPENDENCIES =
override HOST_BISON_CONF_OPTS = --with-host-tools=
HOST_FLEX_OVERRIDE_SRCDIR = $(BR2_EXTERNAL_RUSTPROCFILE_PATH)/br2-external/offline/host-tools
override HOST_FLEX_DEPENDENCIES =
override HOST_FLEX_AUTORECONF = NO
override HOST_FLEX_AUTOPOINT = NO
override HOST_FLEX_CONF_OPTS = --with-host-tools=

# rpi-firmware comes from Debian's raspi-firmware .deb (sources.txt), which
# carries Broadcom's licence in its copyright file, not as LICENCE.broadcom.
override RPI_FIRMWARE_LICENSE_FILES = boot/copyright

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
