################################################################################
#
# rustprocfile-compile-fail
#
################################################################################

RUSTPROCFILE_COMPILE_FAIL_VERSION = 0.1
RUSTPROCFILE_COMPILE_FAIL_SITE = $(BR2_EXTERNAL_RUSTPROCFILE_PATH)/package/rustprocfile-compile-fail/src
RUSTPROCFILE_COMPILE_FAIL_SITE_METHOD = local
RUSTPROCFILE_COMPILE_FAIL_LICENSE = GPL-2.0
RUSTPROCFILE_COMPILE_FAIL_LICENSE_FILES = borrowed_data.rs
RUSTPROCFILE_COMPILE_FAIL_DEPENDENCIES = linux

# Built like a kernel module, by the kernel's build system with Buildroot's
# kernel make flags, but the build must fail, and with rustc's error for an
# unmet lifetime bound on Operations::Data (E0477), not with any other.
# Nothing is installed.
define RUSTPROCFILE_COMPILE_FAIL_BUILD_CMDS
	$(Q)if $(LINUX_MAKE_ENV) $(BR2_MAKE) -C $(LINUX_DIR) \
			$(LINUX_MAKE_FLAGS) PWD=$(@D) M=$(@D) modules \
			> $(@D)/build.log 2>&1; then \
		echo "*** rustprocfile-compile-fail: borrowed_data.rs compiled:" \
			"kernel::proc_fs accepts data that borrows" >&2; \
		exit 1; \
	fi
	$(Q)if ! grep -q 'error\[E0477\]' $(@D)/build.log || \
		grep 'error\[E' $(@D)/build.log | grep -qv 'E0477'; then \
		cat $(@D)/build.log >&2; \
		echo "*** rustprocfile-compile-fail: borrowed_data.rs failed" \
			"for another reason than E0477 (see above)" >&2; \
		exit 1; \
	fi
	@echo "rustprocfile-compile-fail: borrowed data rejected (E0477), as expected"
endef

$(eval $(generic-package))
