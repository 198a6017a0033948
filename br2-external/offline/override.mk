################################################################################
#
# override: offline source overrides (BR2_PACKAGE_OVERRIDE_FILE)
#
################################################################################

# Where prepare-offline-sources.sh unpacked a Debian source into the cache,
# Buildroot builds that directory instead of downloading its own version.
# Hosts that can download (and have no such directory) build Buildroot's
# versions unchanged.

# The top-level Makefile exports RUSTPROCFILE_CACHE; the default is its own.
OVERRIDE_DIR = $(or $(RUSTPROCFILE_CACHE),$(or $(XDG_CACHE_HOME),$(HOME)/.cache)/rustprocfile)/override

rustprocfile-override = $(if $(wildcard $(OVERRIDE_DIR)/$(1)/.prepared),$(OVERRIDE_DIR)/$(1))

HOST_KMOD_OVERRIDE_SRCDIR = $(call rustprocfile-override,kmod)
HOST_LIBTOOL_OVERRIDE_SRCDIR = $(call rustprocfile-override,libtool)
HOST_M4_OVERRIDE_SRCDIR = $(call rustprocfile-override,m4)
HOST_PATCHELF_OVERRIDE_SRCDIR = $(call rustprocfile-override,patchelf)
HOST_PKGCONF_OVERRIDE_SRCDIR = $(call rustprocfile-override,pkgconf)
HOST_TAR_OVERRIDE_SRCDIR = $(call rustprocfile-override,tar)

# No fakeroot source exists in the Debian archive here; the stand-in runs the
# host's own fakeroot (or the command itself when building as root).
ifneq ($(wildcard $(OVERRIDE_DIR)/*/.prepared),)
HOST_FAKEROOT_OVERRIDE_SRCDIR = $(BR2_EXTERNAL_RUSTPROCFILE_PATH)/br2-external/offline/fakeroot
endif
