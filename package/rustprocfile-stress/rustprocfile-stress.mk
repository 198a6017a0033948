################################################################################
#
# rustprocfile-stress
#
################################################################################

RUSTPROCFILE_STRESS_VERSION = 0.1
RUSTPROCFILE_STRESS_SITE = $(BR2_EXTERNAL_RUSTPROCFILE_PATH)/package/rustprocfile-stress/src
RUSTPROCFILE_STRESS_SITE_METHOD = local
RUSTPROCFILE_STRESS_LICENSE = GPL-2.0
RUSTPROCFILE_STRESS_LICENSE_FILES = common.c

define RUSTPROCFILE_STRESS_BUILD_CMDS
	$(TARGET_MAKE_ENV) $(MAKE) $(TARGET_CONFIGURE_OPTS) -C $(@D)
endef

define RUSTPROCFILE_STRESS_INSTALL_TARGET_CMDS
	$(INSTALL) -D -m 0755 $(@D)/rustprocfile-stress \
		$(TARGET_DIR)/usr/bin/rustprocfile-stress
	$(INSTALL) -D -m 0755 $(@D)/rustprocfile-stress-run.sh \
		$(TARGET_DIR)/usr/bin/rustprocfile-stress-run
endef

$(eval $(generic-package))
