################################################################################
#
# rustprocfile-bench
#
################################################################################

RUSTPROCFILE_BENCH_VERSION = 0.1
RUSTPROCFILE_BENCH_SITE = $(BR2_EXTERNAL_RUSTPROCFILE_PATH)/package/rustprocfile-bench/src
RUSTPROCFILE_BENCH_SITE_METHOD = local
RUSTPROCFILE_BENCH_LICENSE = GPL-2.0
RUSTPROCFILE_BENCH_LICENSE_FILES = rustprocfile-bench.c rustprocfile-insncount.c \
	rustprocfile-parallel.c

define RUSTPROCFILE_BENCH_BUILD_CMDS
	$(TARGET_MAKE_ENV) $(MAKE) $(TARGET_CONFIGURE_OPTS) -C $(@D)
endef

define RUSTPROCFILE_BENCH_INSTALL_TARGET_CMDS
	$(INSTALL) -D -m 0755 $(@D)/rustprocfile-bench \
		$(TARGET_DIR)/usr/bin/rustprocfile-bench
	$(INSTALL) -D -m 0755 $(@D)/rustprocfile-insncount \
		$(TARGET_DIR)/usr/bin/rustprocfile-insncount
	$(INSTALL) -D -m 0755 $(@D)/rustprocfile-parallel \
		$(TARGET_DIR)/usr/bin/rustprocfile-parallel
	$(INSTALL) -D -m 0755 $(@D)/rustprocfile-bench-run.sh \
		$(TARGET_DIR)/usr/bin/rustprocfile-bench-run
endef

$(eval $(generic-package))
