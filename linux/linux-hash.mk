################################################################################
#
# linux-hash: the hash files of the kernel tarball and license files
#
################################################################################

# Included from external.mk, after linux.mk: the package infrastructure
# sets the linux package's own hash files (LINUX_HASH_FILES) when linux.mk
# instantiates it, so additions made earlier, in linux/linux-ext-*.mk,
# would be lost.

# The chosen kernel series' hash file (linux/Config.ext.in): kernel.org's
# sha256 of its pinned release and the license files' hashes. Online,
# Buildroot checks kernel.org's tarball against it.
ifeq ($(BR2_LINUX_KERNEL),y)
LINUX_HASH_FILES += $(BR2_EXTERNAL_RUSTPROCFILE_PATH)/board/common/linux/$(call qstrip,$(BR2_RUSTPROCFILE_LINUX_SERIES))/linux.hash
endif

# Offline, the kernel tarball is Debian's orig (br2-external/offline/
# override.mk, which also read RUSTPROCFILE_SOURCES and RUSTPROCFILE_CACHE).
# debian_sources.py wrote its sha256, read from apt's signed source index,
# to this file; Buildroot checks the tarball against it like any other
# hash.
ifeq ($(RUSTPROCFILE_SOURCES),offline)
LINUX_HASH_FILES += $(RUSTPROCFILE_CACHE)/offline/linux.hash
endif
