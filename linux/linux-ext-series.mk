################################################################################
#
# The rustprocfile kernel patches of the chosen kernel series
#
################################################################################

# Buildroot's linux.mk includes linux/linux-ext-*.mk from external trees
# after it has set LINUX_PATCHES from BR2_LINUX_KERNEL_PATCH and before it
# instantiates the linux package, so the series' patch directory joins
# that list: LINUX_APPLY_LOCAL_PATCHES, a post-patch hook, applies every
# *.patch of a directory in it, in name order, as Buildroot applies any
# patch (no fuzz). Like linux-ext-rust.mk, it registers no extension.
# The series' linux.hash is added by linux/linux-hash.mk.

ifeq ($(BR2_LINUX_KERNEL),y)

# linux.mk is read while BR2_EXTERNAL_RUSTPROCFILE_PATH still has the
# quotes of .config (the external tree's .mk file sets it again later):
# the checks below expand it now.
LINUX_EXT_SERIES_ROOT = $(call qstrip,$(BR2_EXTERNAL_RUSTPROCFILE_PATH))/board/common/linux
LINUX_EXT_SERIES = $(call qstrip,$(BR2_RUSTPROCFILE_LINUX_SERIES))
LINUX_EXT_SERIES_DIR = $(LINUX_EXT_SERIES_ROOT)/$(LINUX_EXT_SERIES)

LINUX_PATCHES += $(LINUX_EXT_SERIES_DIR)

# The configured release, BR2_LINUX_KERNEL_VERSION: LINUX_VERSION is not
# it offline, where br2-external/offline/override.mk renames the kernel
# (<release>-debian). Its series is its first two numbers (6.18.15 and
# 6.18-rc3: 6.18). A tarball or repository kernel has no release number
# in the configuration (its version is "custom", a tag or a commit), so
# only the patches tell: a mismatch stops the build in the patch step.
LINUX_EXT_SERIES_RELEASE = $(call qstrip,$(BR2_LINUX_KERNEL_VERSION))
LINUX_EXT_SERIES_OF_RELEASE = $(subst $(space),.,$(wordlist 1,2,$(subst ., ,$(firstword $(subst -, ,$(LINUX_EXT_SERIES_RELEASE))))))

ifeq ($(BR_BUILDING),y)

# What to set instead: the version, and the series when the tree has
# patches for the release's own series.
LINUX_EXT_SERIES_SET_VERSION = $(if $(BR2_LINUX_KERNEL_CUSTOM_VERSION),,'Kernel version' to 'Custom version' and )BR2_LINUX_KERNEL_CUSTOM_VERSION_VALUE to a $(LINUX_EXT_SERIES).y release
LINUX_EXT_SERIES_HAS_OTHER = $(wildcard $(LINUX_EXT_SERIES_ROOT)/$(LINUX_EXT_SERIES_OF_RELEASE)/linux.hash)

ifeq ($(BR2_LINUX_KERNEL_CUSTOM_TARBALL)$(BR2_LINUX_KERNEL_CUSTOM_GIT)$(BR2_LINUX_KERNEL_CUSTOM_HG)$(BR2_LINUX_KERNEL_CUSTOM_SVN),)
# (No version at all: linux.mk says so itself.)
ifneq ($(LINUX_EXT_SERIES_RELEASE),)
ifneq ($(LINUX_EXT_SERIES_OF_RELEASE),$(LINUX_EXT_SERIES))
ifneq ($(LINUX_EXT_SERIES_HAS_OTHER),)
$(error Linux $(LINUX_EXT_SERIES_RELEASE) is not a $(LINUX_EXT_SERIES) release: in make menuconfig, \
	set 'Kernel series for the rustprocfile patches' (menu 'Linux kernel Rust support') \
	to $(LINUX_EXT_SERIES_OF_RELEASE), or $(LINUX_EXT_SERIES_SET_VERSION))
else
$(error Linux $(LINUX_EXT_SERIES_RELEASE) is not a $(LINUX_EXT_SERIES) release, and rustprocfile \
	has no kernel patches for $(LINUX_EXT_SERIES_OF_RELEASE) (board/common/linux/): in make menuconfig, \
	set $(LINUX_EXT_SERIES_SET_VERSION))
endif
endif
endif
endif

# Until a series has its patches, a build would make a kernel without
# kernel::proc_fs and fail only in the module.
ifeq ($(wildcard $(LINUX_EXT_SERIES_DIR)/*.patch),)
$(error No kernel patches in $(LINUX_EXT_SERIES_DIR): the rustprocfile \
	module needs them; choose another 'Kernel series for the rustprocfile patches')
endif

endif # BR_BUILDING

endif # BR2_LINUX_KERNEL
