################################################################################
#
# rustprocfile-conformance
#
################################################################################

RUSTPROCFILE_CONFORMANCE_VERSION = 0.1
RUSTPROCFILE_CONFORMANCE_SITE = $(BR2_EXTERNAL_RUSTPROCFILE_PATH)/package/rustprocfile-conformance/src
RUSTPROCFILE_CONFORMANCE_SITE_METHOD = local
RUSTPROCFILE_CONFORMANCE_LICENSE = GPL-2.0
RUSTPROCFILE_CONFORMANCE_LICENSE_FILES = rustprocfile-conformance.c

define RUSTPROCFILE_CONFORMANCE_BUILD_CMDS
	$(TARGET_MAKE_ENV) $(MAKE) $(TARGET_CONFIGURE_OPTS) -C $(@D)
endef

define RUSTPROCFILE_CONFORMANCE_INSTALL_TARGET_CMDS
	$(INSTALL) -D -m 0755 $(@D)/rustprocfile-conformance \
		$(TARGET_DIR)/usr/bin/rustprocfile-conformance
endef

$(eval $(generic-package))
