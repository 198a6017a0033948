################################################################################
#
# buildroot: the pinned release that drives this tree
#
################################################################################

# Included by the top-level Makefile; may be overridden on its command line.

# Pinned Buildroot LTS release.
BUILDROOT_VERSION = 2026.02.3
# Commit of that release tag in Buildroot's git repository.
BUILDROOT_COMMIT = 679b9ead7620bbf193620d1ebf56f53c1764d37a
# sha256 of the uncompressed tarball that `git archive --format=tar
# --prefix=buildroot-$(BUILDROOT_VERSION)/ $(BUILDROOT_VERSION)` writes for
# that tag (the same with git 2.39 and 2.47).
BUILDROOT_TAR_SHA256 = 8132c92f5b5c5e8de71ac3f95dbfb79d451e675d912f537cc3b7347d535a7383
