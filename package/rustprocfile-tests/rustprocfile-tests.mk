################################################################################
#
# rustprocfile-tests
#
################################################################################

RUSTPROCFILE_TESTS_VERSION = 0.1
RUSTPROCFILE_TESTS_SITE = $(BR2_EXTERNAL_RUSTPROCFILE_PATH)/package/rustprocfile-tests/src
RUSTPROCFILE_TESTS_SITE_METHOD = local
RUSTPROCFILE_TESTS_LICENSE = GPL-2.0
RUSTPROCFILE_TESTS_LICENSE_FILES = module-param.c

define RUSTPROCFILE_TESTS_BUILD_CMDS
	$(TARGET_MAKE_ENV) $(MAKE) $(TARGET_CONFIGURE_OPTS) -C $(@D)
endef

define RUSTPROCFILE_TESTS_INSTALL_TARGET_CMDS
	$(INSTALL) -D -m 0755 $(@D)/rustprocfile-selftest \
		$(TARGET_DIR)/usr/bin/rustprocfile-selftest
	$(INSTALL) -D -m 0755 $(@D)/rustprocfile-conformance \
		$(TARGET_DIR)/usr/bin/rustprocfile-conformance
	$(INSTALL) -D -m 0755 $(@D)/rustprocfile-stress \
		$(TARGET_DIR)/usr/bin/rustprocfile-stress
	$(INSTALL) -D -m 0755 $(@D)/rustprocfile-stress-run.sh \
		$(TARGET_DIR)/usr/bin/rustprocfile-stress-run
endef

$(eval $(generic-package))
