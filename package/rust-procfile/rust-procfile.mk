################################################################################
#
# rust-procfile
#
################################################################################

RUST_PROCFILE_VERSION = 0.1
RUST_PROCFILE_SITE = $(BR2_EXTERNAL_RUSTPROCFILE_PATH)/package/rust-procfile/src
RUST_PROCFILE_SITE_METHOD = local
RUST_PROCFILE_LICENSE = GPL-2.0
RUST_PROCFILE_LICENSE_FILES = rustprocfile.rs

# The module is Rust and uses /proc; make sure the kernel has both.
define RUST_PROCFILE_LINUX_CONFIG_FIXUPS
	$(call KCONFIG_ENABLE_OPT,CONFIG_RUST)
	$(call KCONFIG_ENABLE_OPT,CONFIG_PROC_FS)
	$(call KCONFIG_ENABLE_OPT,CONFIG_MODULE_UNLOAD)
endef

ifeq ($(BR2_PACKAGE_RUST_PROCFILE_INLINE_HELPERS),y)
RUST_PROCFILE_LLVM = $(call qstrip,$(BR2_PACKAGE_RUST_PROCFILE_LLVM_SUFFIX))
RUST_PROCFILE_MODULE_MAKE_OPTS = \
	RUSTPROCFILE_INLINE_HELPERS=y \
	RUSTPROCFILE_LLVM_SUFFIX="$(RUST_PROCFILE_LLVM)"

# rustc's bitcode is read by the LLVM tools: same major version, or the
# build stops here with both versions rather than in llvm-link.
define RUST_PROCFILE_CHECK_LLVM
	$(Q)rustc_llvm=$$($(LINUX_RUST_RUSTC) -vV | \
		sed -n 's/^LLVM version: \([0-9]*\).*/\1/p'); \
	tools_llvm=$$(llvm-config$(RUST_PROCFILE_LLVM) --version \
		2>/dev/null | cut -d. -f1); \
	if [ -z "$$rustc_llvm" ] || \
		[ "$$rustc_llvm" != "$$tools_llvm" ]; then \
		echo "*** rust-procfile: inlining the helpers needs" \
			"Clang and LLVM $${rustc_llvm:-?}, the LLVM of" \
			"$(LINUX_RUST_RUSTC); llvm-config$(RUST_PROCFILE_LLVM)" \
			"reports $${tools_llvm:-nothing}. Install" \
			"clang$(RUST_PROCFILE_LLVM) and llvm$(RUST_PROCFILE_LLVM)" \
			"('make host-setup' does on Debian bookworm), or set" \
			"the tools' suffix in the rust-procfile options." >&2; \
		exit 1; \
	fi
endef
RUST_PROCFILE_PRE_BUILD_HOOKS += RUST_PROCFILE_CHECK_LLVM
endif

$(eval $(kernel-module))
$(eval $(generic-package))
