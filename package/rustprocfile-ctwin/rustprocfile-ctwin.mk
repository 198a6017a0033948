################################################################################
#
# rustprocfile-ctwin
#
################################################################################

RUSTPROCFILE_CTWIN_VERSION = 0.1
RUSTPROCFILE_CTWIN_SITE = $(BR2_EXTERNAL_RUSTPROCFILE_PATH)/package/rustprocfile-ctwin/src
RUSTPROCFILE_CTWIN_SITE_METHOD = local
RUSTPROCFILE_CTWIN_LICENSE = GPL-2.0
RUSTPROCFILE_CTWIN_LICENSE_FILES = cfile.c

define RUSTPROCFILE_CTWIN_LINUX_CONFIG_FIXUPS
	$(call KCONFIG_ENABLE_OPT,CONFIG_PROC_FS)
	$(call KCONFIG_ENABLE_OPT,CONFIG_MODULE_UNLOAD)
endef

$(eval $(kernel-module))
$(eval $(generic-package))
