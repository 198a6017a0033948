################################################################################
#
# rustprocfile-selftest
#
################################################################################

RUSTPROCFILE_SELFTEST_VERSION = 0.1
RUSTPROCFILE_SELFTEST_SITE = $(BR2_EXTERNAL_RUSTPROCFILE_PATH)/package/rustprocfile-selftest/src
RUSTPROCFILE_SELFTEST_SITE_METHOD = local
RUSTPROCFILE_SELFTEST_LICENSE = GPL-2.0
RUSTPROCFILE_SELFTEST_LICENSE_FILES = rustprocfile-selftest.c

define RUSTPROCFILE_SELFTEST_BUILD_CMDS
	$(TARGET_MAKE_ENV) $(MAKE) $(TARGET_CONFIGURE_OPTS) -C $(@D)
endef

define RUSTPROCFILE_SELFTEST_INSTALL_TARGET_CMDS
	$(INSTALL) -D -m 0755 $(@D)/rustprocfile-selftest \
		$(TARGET_DIR)/usr/bin/rustprocfile-selftest
endef

$(eval $(generic-package))
