################################################################################
#
# linux-hash: the hash of an offline kernel tarball
#
################################################################################

# Offline, the kernel tarball is Debian's orig (br2-external/offline/
# override.mk, which also read RUSTPROCFILE_SOURCES and RUSTPROCFILE_CACHE).
# debian_sources.py wrote its sha256, read from apt's signed source index,
# to this file; Buildroot checks the tarball against it like any other
# hash. Included from external.mk, after linux.mk has set the package's
# own hash files.
ifeq ($(RUSTPROCFILE_SOURCES),offline)
LINUX_HASH_FILES += $(RUSTPROCFILE_CACHE)/offline/linux.hash
endif
