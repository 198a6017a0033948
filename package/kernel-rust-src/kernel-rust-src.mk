################################################################################
#
# kernel-rust-src
#
################################################################################

# The Rust standard library sources (core, alloc) that the kernel compiles
# itself, for Buildroot's host-rustc: taken from the same rustc source
# tarball that Buildroot's host-rust builds, so the versions always match.
KERNEL_RUST_SRC_VERSION = $(RUST_VERSION)
KERNEL_RUST_SRC_SOURCE = rustc-$(KERNEL_RUST_SRC_VERSION)-src.tar.xz
KERNEL_RUST_SRC_SITE = https://static.rust-lang.org/dist
KERNEL_RUST_SRC_DL_SUBDIR = rust
KERNEL_RUST_SRC_LICENSE = Apache-2.0 or MIT
KERNEL_RUST_SRC_LICENSE_FILES = LICENSE-APACHE LICENSE-MIT

HOST_KERNEL_RUST_SRC_LIBRARY_DIR = $(HOST_DIR)/lib/rustlib/src/rust/library

ifneq ($(RUST_BIN_VERSION),$(RUST_VERSION))
$(error host-rust-bin $(RUST_BIN_VERSION) and host-rust $(RUST_VERSION) differ: \
	kernel-rust-src must match the host-rustc in use)
endif

# Only the license files and library/ are needed out of the whole tree.
define HOST_KERNEL_RUST_SRC_EXTRACT_CMDS
	$(call suitable-extractor,$(KERNEL_RUST_SRC_SOURCE)) \
		$(HOST_KERNEL_RUST_SRC_DL_DIR)/$(KERNEL_RUST_SRC_SOURCE) | \
		$(TAR) --strip-components=1 -C $(@D) $(TAR_OPTIONS) - \
			rustc-$(KERNEL_RUST_SRC_VERSION)-src/library \
			rustc-$(KERNEL_RUST_SRC_VERSION)-src/LICENSE-APACHE \
			rustc-$(KERNEL_RUST_SRC_VERSION)-src/LICENSE-MIT
endef

define HOST_KERNEL_RUST_SRC_INSTALL_CMDS
	rm -rf $(HOST_KERNEL_RUST_SRC_LIBRARY_DIR)
	mkdir -p $(dir $(HOST_KERNEL_RUST_SRC_LIBRARY_DIR))
	cp -a $(@D)/library $(HOST_KERNEL_RUST_SRC_LIBRARY_DIR)
endef

$(eval $(host-generic-package))
