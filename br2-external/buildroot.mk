# What Buildroot release drives this tree, and where it and the other caches
# live. Included by the top-level Makefile; everything here can be
# overridden on the make command line or from the environment.

# Pinned Buildroot LTS release.
BR_VERSION = 2026.02.3
# Git objects of that release tag, as published in Buildroot's git repository.
BR_COMMIT = 679b9ead7620bbf193620d1ebf56f53c1764d37a
# sha256 of the uncompressed tarball `git archive --format=tar
# --prefix=buildroot-$(BR_VERSION)/ $(BR_VERSION)` produces from that tag
# (identical with git 2.39 and 2.47).
BR_TAR_SHA256 = 8132c92f5b5c5e8de71ac3f95dbfb79d451e675d912f537cc3b7347d535a7383
BR_TARBALL = buildroot-$(BR_VERSION).tar

# Caches that outlive a clone: the Buildroot release, the download directory,
# offline source overrides and generated toolchain adapters.
RUSTPROCFILE_CACHE ?= $(or $(XDG_CACHE_HOME),$(HOME)/.cache)/rustprocfile
BR_DIR = $(RUSTPROCFILE_CACHE)/buildroot-$(BR_VERSION)
export BR2_DL_DIR ?= $(RUSTPROCFILE_CACHE)/dl
export RUSTPROCFILE_CACHE
