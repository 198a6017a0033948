################################################################################
#
# Rust toolchain for Buildroot's linux package
#
################################################################################

# Buildroot's linux.mk includes linux/linux-ext-*.mk from external trees
# before it instantiates the linux package, so this file can still add to
# LINUX_DEPENDENCIES. It registers no extension (nothing to patch in).

ifeq ($(BR2_LINUX_KERNEL)$(BR2_RUSTPROCFILE_LINUX_RUST),yy)

ifeq ($(BR2_RUSTPROCFILE_LINUX_RUST_BUILDROOT),y)
# rustc, bindgen (with host-clang) and the library sources of the same
# rustc version, all built or installed into HOST_DIR.
LINUX_DEPENDENCIES += host-rustc host-rust-bindgen host-kernel-rust-src
LINUX_RUST_RUSTC = $(HOST_DIR)/bin/rustc
LINUX_RUST_RUSTDOC = $(HOST_DIR)/bin/rustdoc
LINUX_RUST_BINDGEN = $(HOST_DIR)/bin/bindgen
LINUX_RUST_LIB_SRC = $(HOST_DIR)/lib/rustlib/src/rust/library
else
LINUX_RUST_RUSTC = $(call qstrip,$(BR2_RUSTPROCFILE_LINUX_RUSTC))
# rustdoc (for CONFIG_RUST_KERNEL_DOCTESTS) must be rustc's own: another
# one earlier on PATH cannot read the crates rustc built.
LINUX_RUST_RUSTDOC = $(if $(findstring /,$(LINUX_RUST_RUSTC)),$(dir $(LINUX_RUST_RUSTC)))rustdoc
LINUX_RUST_BINDGEN = $(call qstrip,$(BR2_RUSTPROCFILE_LINUX_BINDGEN))
LINUX_RUST_LIB_SRC = $(or $(call qstrip,$(BR2_RUSTPROCFILE_LINUX_RUST_LIB_SRC)),$(shell $(LINUX_RUST_RUSTC) --print sysroot 2>/dev/null)/lib/rustlib/src/rust/library)
# bindgen loads libclang at run time, the newest it finds unless told. The
# library sits two levels above the resource directory of the clang of the
# same version (lib/clang/<version>), in Debian's layout as in LLVM's own.
# Make works the directory out ($(shell)): the value goes through hooks,
# which Buildroot expands once more than a recipe, so it must not be left
# to the shell.
LINUX_RUST_LIBCLANG_VERSION = $(call qstrip,$(BR2_RUSTPROCFILE_LINUX_LIBCLANG_VERSION))
ifneq ($(LINUX_RUST_LIBCLANG_VERSION),)
LINUX_RUST_CLANG = clang-$(LINUX_RUST_LIBCLANG_VERSION)
LINUX_RUST_LIBCLANG_DIR = $(realpath $(shell $(LINUX_RUST_CLANG) -print-resource-dir 2>/dev/null)/../..)
LINUX_MAKE_ENV += LIBCLANG_PATH="$(LINUX_RUST_LIBCLANG_DIR)"

define LINUX_RUST_CHECK_LIBCLANG
	$(Q)if [ -z "$(wildcard $(LINUX_RUST_LIBCLANG_DIR)/libclang*.so*)" ]; then \
		echo "*** No libclang next to $(LINUX_RUST_CLANG): install" \
			"clang-$(LINUX_RUST_LIBCLANG_VERSION) and" \
			"libclang-$(LINUX_RUST_LIBCLANG_VERSION)-dev ('make host-setup')" \
			"or change 'libclang version for bindgen'." >&2; \
		exit 1; \
	fi
endef
LINUX_PRE_PATCH_HOOKS += LINUX_RUST_CHECK_LIBCLANG
endif
endif

# Buildroot passes HOSTCC as one string holding the compiler and its flags;
# the kernel links Rust proc macros with -Clinker=$(HOSTCC), which rustc
# cannot split. Give the kernel the bare compiler, and the flags through
# HOSTCFLAGS/HOSTLDFLAGS, which kbuild adds to its own host flags. This later
# HOSTCC= assignment on the make command line wins over Buildroot's.
LINUX_MAKE_FLAGS += \
	HOSTCC="$(HOSTCC)" \
	HOSTCFLAGS="$(subst -I/,-isystem /,$(subst -I /,-isystem /,$(HOST_CFLAGS)))" \
	HOSTLDFLAGS="$(HOST_LDFLAGS)" \
	RUSTC="$(LINUX_RUST_RUSTC)" \
	HOSTRUSTC="$(LINUX_RUST_RUSTC)" \
	RUSTDOC="$(LINUX_RUST_RUSTDOC)" \
	BINDGEN="$(LINUX_RUST_BINDGEN)" \
	RUST_LIB_SRC="$(LINUX_RUST_LIB_SRC)"

# A kernel compiler other than the toolchain's GCC, for every kernel make
# including kconfig (which decides CC_IS_CLANG) and module builds.
# Buildroot's KCFLAGS carry GCC-only warning options (-Wno-attribute-alias,
# chosen from the toolchain's GCC version) that Clang rejects.
ifneq ($(call qstrip,$(BR2_RUSTPROCFILE_LINUX_CC)),)
LINUX_MAKE_FLAGS += \
	CC="$(call qstrip,$(BR2_RUSTPROCFILE_LINUX_CC))" \
	KCFLAGS="$(filter-out -Wno-attribute-alias,$(LINUX_CFLAGS))"
endif

# Fail right after patching, before kconfig runs, with the kernel's own
# diagnosis of the toolchain, instead of CONFIG_RUST silently vanishing in
# olddefconfig.
define LINUX_RUST_CHECK_AVAILABLE
	@$(call MESSAGE,"Checking the kernel Rust toolchain")
	$(Q)if ! out=$$($(LINUX_MAKE_ENV) $(BR2_MAKE) $(LINUX_MAKE_FLAGS) \
			-C $(@D) -s rustavailable 2>&1); then \
		printf '%s\n' "$$out" >&2; \
		echo "*** The Rust toolchain set in 'Linux kernel Rust support'" \
			"cannot build this kernel (see above)." >&2; \
		exit 1; \
	fi
endef
LINUX_POST_PATCH_HOOKS += LINUX_RUST_CHECK_AVAILABLE

define LINUX_RUST_CHECK_ENABLED
	$(Q)grep -qx 'CONFIG_RUST=y' $(LINUX_DIR)/.config || { \
		echo "*** CONFIG_RUST=y is not in the kernel configuration:" \
			"a dependency of it is unmet (see 'make linux-menuconfig')." >&2; \
		exit 1; }
endef
LINUX_POST_CONFIGURE_HOOKS += LINUX_RUST_CHECK_ENABLED

endif
