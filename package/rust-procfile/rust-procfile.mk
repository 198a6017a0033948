################################################################################
#
# rust-procfile
#
################################################################################

RUST_PROCFILE_VERSION = 0.1
RUST_PROCFILE_SITE = $(BR2_EXTERNAL_RUSTPROCFILE_PATH)/package/rust-procfile/src
RUST_PROCFILE_SITE_METHOD = local
RUST_PROCFILE_LICENSE = GPL-2.0

# The module is Rust and uses /proc; make sure the kernel has both.
define RUST_PROCFILE_LINUX_CONFIG_FIXUPS
	$(call KCONFIG_ENABLE_OPT,CONFIG_RUST)
	$(call KCONFIG_ENABLE_OPT,CONFIG_PROC_FS)
	$(call KCONFIG_ENABLE_OPT,CONFIG_MODULE_UNLOAD)
endef

$(eval $(kernel-module))
$(eval $(generic-package))
