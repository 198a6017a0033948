include $(BR2_EXTERNAL_RUSTPROCFILE_PATH)/br2-external/build-as-root.mk
include $(BR2_EXTERNAL_RUSTPROCFILE_PATH)/linux/linux-hash.mk
include $(BR2_EXTERNAL_RUSTPROCFILE_PATH)/toolchain/debian-cross.mk
include $(sort $(wildcard $(BR2_EXTERNAL_RUSTPROCFILE_PATH)/package/*/*.mk))
