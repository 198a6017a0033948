# rustprocfile: top-level entry point.
#
# This directory is a Buildroot external tree (external.desc, Config.in,
# external.mk, ...). This Makefile obtains the pinned Buildroot release and
# forwards to it with BR2_EXTERNAL set and one output directory per
# defconfig:
#
#   make rustprocfile_qemu_aarch64_defconfig   # selects output/rustprocfile_qemu_aarch64
#   make rustprocfile_qemu_x86_64_linux_6_12_defconfig  # a defconfig on Linux 6.12
#   make                                       # builds the selected config
#   make linux-menuconfig                      # any Buildroot target, same config
#   make test                                  # host tests, build and boot the test images
#   make test-all                              # the same, the x86_64 images on 6.12, test-boards
#   make test-boot                             # only boot the images already built
#   make test-debug                            # only the x86_64 debug image (KASAN, lockdep, KUnit)
#   make test-boards                           # the images for hardware, booted from their disks
#   make bench                                 # benchmark image of the selected config
#
# Host packages and bindgen are installed on demand (host-setup; it prints
# what it changes, RUSTPROCFILE_HOST_SETUP=n turns it into a check), and
# sources come from the upstream sites or, where those are unreachable or
# RUSTPROCFILE_OFFLINE=y, from the Debian archive (sources, below); see
# README.md.

TOP := $(CURDIR)
include br2-external/buildroot.mk

# Caches that outlive a clone: the Buildroot release, the download directory,
# offline source overrides and the x86_64 toolchain adapter.
RUSTPROCFILE_CACHE ?= $(or $(XDG_CACHE_HOME),$(HOME)/.cache)/rustprocfile
BR_DIR = $(RUSTPROCFILE_CACHE)/buildroot-$(BUILDROOT_VERSION)
export BR2_DL_DIR ?= $(RUSTPROCFILE_CACHE)/dl
export RUSTPROCFILE_CACHE

OUTPUT_ROOT ?= $(TOP)/output
SCRIPTS = $(TOP)/br2-external/scripts
DEFCONFIGS = $(notdir $(wildcard $(TOP)/configs/*_defconfig))

# The defconfigs are on Linux 6.18 (linux/Config.ext.in, "Kernel series for
# the rustprocfile patches"). <name>_linux_6_12_defconfig, for a defconfig
# with no such file of its own, is <name>_defconfig with the kernel series
# and release of board/common/linux-6.12.config, in output/<name>_linux_6_12.
LINUX_6_12_CONFIG = $(TOP)/board/common/linux-6.12.config
LINUX_6_12_DEFCONFIGS = $(filter-out $(DEFCONFIGS),\
	$(patsubst %_defconfig,%_linux_6_12_defconfig,$(filter-out %_linux_6_12_defconfig,$(DEFCONFIGS))))

# The config that bare 'make' and Buildroot targets apply to: the one named
# with CONFIG=, else the last defconfig selected.
CONFIG ?= $(shell cat $(OUTPUT_ROOT)/.selected 2>/dev/null)
O = $(OUTPUT_ROOT)/$(CONFIG)
# Buildroot has a CONFIG variable of its own (its kconfig directory): a
# CONFIG= given on this command line must not reach its make.
MAKEOVERRIDES := $(filter-out CONFIG=%,$(MAKEOVERRIDES))

# host-setup changes the host (apt sources and packages, bindgen in
# /usr/local, links in the cross sysroots) after printing what it does;
# RUSTPROCFILE_HOST_SETUP=n only checks, and says what is missing.
RUSTPROCFILE_HOST_SETUP ?= y
export RUSTPROCFILE_HOST_SETUP

DEBIAN_SOURCES = /usr/bin/python3 $(SCRIPTS)/debian_sources.py \
	$(if $(filter n,$(RUSTPROCFILE_HOST_SETUP)),--no-update)

BR_MAKE = $(MAKE) -C $(BR_DIR) BR2_EXTERNAL=$(TOP)

# The sources of the configured output directory in $(1). Where they come
# from is decided when the directory is first configured and recorded in
# it (source-mode.sh): RUSTPROCFILE_OFFLINE=y, the Debian archive; n, the
# upstream sites (Buildroot's downloads, kernel.org for the kernel);
# unset, upstream when it answers, else the Debian archive. Offline,
# debian_sources.py stages the packages of sources.txt and the kernel of
# the configuration (the configured release, or the newest of its series
# that the archive still has), one log line each; online, one line says
# which kernel Buildroot downloads.
define sources
	@test -f $(1)/.config || { echo "*** $(1) is not configured" >&2; exit 1; }
	@$(SCRIPTS)/source-mode.sh $(1) $(RUSTPROCFILE_CACHE) $(RUSTPROCFILE_OFFLINE)
	@if grep -qx 'RUSTPROCFILE_SOURCES = offline' $(1)/rustprocfile-sources.mk; then \
		$(DEBIAN_SOURCES) packages --buildroot $(BR_DIR) \
			--list $(TOP)/br2-external/offline/sources.txt \
			--cache $(RUSTPROCFILE_CACHE) --dl-dir $(BR2_DL_DIR) && \
		$(DEBIAN_SOURCES) linux --config $(1)/.config \
			--cache $(RUSTPROCFILE_CACHE) --dl-dir $(BR2_DL_DIR); \
	else \
		echo "linux: building $$(sed -n 's/^BR2_LINUX_KERNEL_CUSTOM_VERSION_VALUE="\(.*\)"$$/\1/p' $(1)/.config)" \
			"from kernel.org, checked against board/common/linux/$$(sed -n 's/^BR2_RUSTPROCFILE_LINUX_SERIES="\(.*\)"$$/\1/p' $(1)/.config)/linux.hash"; \
	fi
endef

# Configure output directory $(1) as config $(2): from configs/$(2)_defconfig,
# or, for <name>_linux_6_12 without a defconfig, from configs/<name>_defconfig
# and board/common/linux-6.12.config, merged with Buildroot's merge_config.sh
# and settled by olddefconfig; each assignment of the fragment must be in
# the result. Its savedefconfig writes configs/<name>_linux_6_12_defconfig,
# not over the 6.18 defconfig.
define configure
	if [ -f $(TOP)/configs/$(2)_defconfig ]; then \
		$(BR_MAKE) O=$(1) $(2)_defconfig; \
	else \
		{ $(BR_MAKE) O=$(1) $(patsubst %_linux_6_12,%,$(2))_defconfig && \
		CONFIG_=BR2_ $(BR_DIR)/support/kconfig/merge_config.sh -m -O $(1) \
			$(1)/.config $(LINUX_6_12_CONFIG) && \
		sed -i 's|^BR2_DEFCONFIG=.*|BR2_DEFCONFIG="$(TOP)/configs/$(2)_defconfig"|' $(1)/.config && \
		$(BR_MAKE) O=$(1) olddefconfig; } || exit 1; \
		missing=$$(grep -E '^(BR2_|# BR2_[A-Za-z0-9_]* is not set$$)' $(LINUX_6_12_CONFIG) | \
			grep -vxF -f $(1)/.config) ; \
		test -z "$$missing" || { echo "*** $(2): $(LINUX_6_12_CONFIG) did not take:" \
			"$$missing" >&2; exit 1; }; \
	fi
endef

# One step at a time: host-setup installs what the later steps run (wget,
# apt's source lines), and apt takes one caller at a time.
.NOTPARALLEL:

.PHONY: all help host-setup buildroot prepare test test-all check-sources \
	test-host test-zero-cost test-boot test-boards debug-image test-debug \
	bench-image bench \
	insn-count insn-count-run bench-parallel bench-parallel-run check \
	clean-all $(DEFCONFIGS) $(LINUX_6_12_DEFCONFIGS)

all: prepare
	@test -n "$(CONFIG)" || { echo "*** No config selected: run 'make <name>_defconfig' first (configs/: $(DEFCONFIGS))" >&2; exit 1; }
	$(call sources,$(O))
	$(BR_MAKE) O=$(O)

help:
	@sed -n '3,17p' Makefile | sed 's/^# \{0,1\}//'
	@echo "Defconfigs: $(DEFCONFIGS)"
	@echo "On Linux 6.12: $(LINUX_6_12_DEFCONFIGS)"

# Host packages (Debian/Ubuntu), bindgen, cross sysroot layout, x86_64
# toolchain adapter. Each step is idempotent and quick when already done.
host-setup:
	$(SCRIPTS)/install-host-packages.sh
	$(SCRIPTS)/install-bindgen.sh /usr/local
	$(SCRIPTS)/fix-cross-sysroots.sh
	$(SCRIPTS)/make-x86_64-toolchain.sh $(RUSTPROCFILE_CACHE)/toolchain-x86_64

buildroot:
	$(SCRIPTS)/get-buildroot.sh $(RUSTPROCFILE_CACHE) $(BUILDROOT_VERSION) $(BUILDROOT_TAR_SHA256)

prepare: host-setup buildroot

$(DEFCONFIGS) $(LINUX_6_12_DEFCONFIGS): prepare
	mkdir -p $(OUTPUT_ROOT)
	$(call configure,$(OUTPUT_ROOT)/$(@:_defconfig=),$(@:_defconfig=))
	$(call sources,$(OUTPUT_ROOT)/$(@:_defconfig=))
	echo $(@:_defconfig=) >$(OUTPUT_ROOT)/.selected

# The images of make test: the three 6.18 defconfigs and the aarch64 one on
# 6.12. make test-all adds the x86_64 ones on 6.12, made from their 6.18
# defconfigs (<name>_linux_6_12, above).
TEST_CONFIGS = rustprocfile_qemu_aarch64 rustprocfile_qemu_x86_64 \
	rustprocfile_qemu_x86_64_debug rustprocfile_qemu_aarch64_linux_6_12
TEST_ALL_CONFIGS = $(TEST_CONFIGS) rustprocfile_qemu_x86_64_linux_6_12 \
	rustprocfile_qemu_x86_64_debug_linux_6_12

# Everything: the host tests, then each image of the list is built if needed
# (configured first if its output directory has no configuration; the
# selected config stays), then every built image is checked (zero-cost
# disassembly) and those of the list are booted, each of which must show a
# kernel of its configuration's series.
test: test-host $(addprefix image-,$(TEST_CONFIGS)) test-zero-cost
	$(TOP)/test/boot-tests.sh $(OUTPUT_ROOT) $(TEST_CONFIGS)

test-all: test-host $(addprefix image-,$(TEST_ALL_CONFIGS)) test-zero-cost test-boards
	$(TOP)/test/boot-tests.sh $(OUTPUT_ROOT) $(TEST_ALL_CONFIGS)

# The images for real hardware, each booted from its own disk image: the
# UEFI ones (board/efi) as the hardware would boot them, under QEMU's UEFI
# firmware with the disk as a USB stick; the Raspberry Pi 4 card
# (board/raspberrypi4) on QEMU's raspi4b, from the kernel and device tree
# of its boot partition (QEMU cannot run the Pi's firmware).
BOARD_CONFIGS = rustprocfile_pc_x86_64_efi rustprocfile_aarch64_efi \
	rustprocfile_raspberrypi4_64
test-boards: $(addprefix image-,$(BOARD_CONFIGS))
	$(TOP)/test/boot-tests.sh $(OUTPUT_ROOT) $(BOARD_CONFIGS)

test-host:
	$(TOP)/test/host-tests.sh $(OUTPUT_ROOT)

test-zero-cost:
	$(TOP)/test/zero-cost-tests.sh $(OUTPUT_ROOT)

test-boot:
	$(TOP)/test/boot-tests.sh $(OUTPUT_ROOT)

# image-<name>: output/<name> built, in its own output directory, without
# changing the selected config; configured first if it has no .config.
image-%: prepare
	mkdir -p $(OUTPUT_ROOT)
	test -f $(OUTPUT_ROOT)/$*/.config || { $(call configure,$(OUTPUT_ROOT)/$*,$*); }
	$(call sources,$(OUTPUT_ROOT)/$*)
	$(BR_MAKE) O=$(OUTPUT_ROOT)/$*

# The x86_64 debug kernel (KASAN, lockdep, kmemleak, KUnit doctests).
# test-debug boots only that image.
DEBUG_CONFIG = rustprocfile_qemu_x86_64_debug
debug-image: image-$(DEBUG_CONFIG)

test-debug: debug-image
	$(TOP)/test/boot-tests.sh $(OUTPUT_ROOT) $(DEBUG_CONFIG)

# Benchmark: the selected config plus board/common/bench.config (the
# benchmark programs and the C twin module) and its kernel plus
# board/common/linux-bench.fragment (KASLR: each boot another layout), in
# its own output directory.
# bench: timings by test/bench.sh (CSV, table and plot in
# output/<config>-bench/bench), then instruction counts per operation
# (insn-count); then bench-results.py stores the summary, reports and
# plot in docs/bench/ and rebuilds the results table of
# docs/PERFORMANCE.md for this architecture.
BENCH_O = $(OUTPUT_ROOT)/$(CONFIG)-bench
# Boots per benchmark run, and repetitions per boot: every boot is
# another layout (KASLR), so many boots with few repetitions measure the
# code, few boots with many its chance layout. The guest alternates the
# order of the files between boots (an even number balances it; see
# test/bench.sh).
BENCH_BOOTS ?= 16
BENCH_REPS ?= 2
bench-image: prepare
	@test -n "$(CONFIG)" || { echo "*** No config selected: run 'make <name>_defconfig' first" >&2; exit 1; }
	$(call configure,$(BENCH_O),$(CONFIG))
	cat $(TOP)/board/common/bench.config >>$(BENCH_O)/.config
	# The kernel fragment joins the config's own list: a second assignment
	# of the option would replace linux-rust.fragment, not add to it.
	sed -i 's|^\(BR2_LINUX_KERNEL_CONFIG_FRAGMENT_FILES=".*\)"$$|\1 $$(BR2_EXTERNAL_RUSTPROCFILE_PATH)/board/common/linux-bench.fragment"|' \
		$(BENCH_O)/.config
	$(BR_MAKE) O=$(BENCH_O) olddefconfig
	@grep -q 'linux-bench.fragment"$$' $(BENCH_O)/.config || \
		{ echo "*** $(CONFIG): no kernel fragment list to add linux-bench.fragment to" >&2; exit 1; }
	$(call sources,$(BENCH_O))
	$(BR_MAKE) O=$(BENCH_O)

bench: bench-image
	$(TOP)/test/bench.sh -b $(BENCH_BOOTS) -r $(BENCH_REPS) \
		-o $(BENCH_O)/bench $(BENCH_O)/images
	$(TOP)/test/bench-report.py -o $(BENCH_O)/bench/report $(BENCH_O)/bench/bench-*-boot*.csv
	$(MAKE) bench-parallel-run
	$(MAKE) insn-count-run
	$(TOP)/test/bench-results.py $(BENCH_O)/bench $(TOP)/docs

# 1 and N processes reading each file at once, in a boot with N vCPUs.
bench-parallel: bench-image bench-parallel-run

bench-parallel-run:
	$(TOP)/test/bench-parallel.sh -o $(BENCH_O)/bench $(BENCH_O)/images
	$(TOP)/test/bench-parallel-report.py -o $(BENCH_O)/bench/parallel $(BENCH_O)/bench/parallel-*-smp*.csv

# Instructions per read/write under the insn-window QEMU plugin.
insn-count: bench-image insn-count-run

insn-count-run:
	$(TOP)/test/insn-count/insn-count.sh $(RUSTPROCFILE_CACHE) $(BENCH_O)/images $(BENCH_O)/bench

# Static checks: Buildroot's check-package on the tree (reasons for each
# entry of .checkpackageignore are in docs/BUILDROOT.md), shellcheck on
# every shell script, flake8 on the Python ones; then check-sources.
# check-package needs Debian's python3 modules.
check: buildroot check-sources
	cd $(TOP) && /usr/bin/python3 $(BR_DIR)/utils/check-package -b \
		--ignore-list .checkpackageignore $$(git ls-files)
	cd $(TOP) && shellcheck $$(git ls-files | while read -r f; do \
		case $$f in *.sh) echo $$f ;; *) head -n 1 $$f | grep -qx '#!/bin/sh' && echo $$f ;; esac; \
		done)
	cd $(TOP) && /usr/bin/python3 -m flake8 $$(git ls-files '*.py')

# Will a fresh machine still build offline? The selection's unit tests (a
# fake archive that moved on, one that has nothing left), then the whole
# offline source preparation, into a temporary cache, against the Debian
# archive as it is now, and for each kernel pin of the defconfigs the
# patches of its series (board/common/linux/<series>/; none is a failure)
# applied to the release it takes and to the newest of the series (TAP).
check-sources: buildroot
	/usr/bin/python3 $(TOP)/test/debian-sources-test.py
	cd $(TOP) && $(DEBIAN_SOURCES) check --buildroot $(BR_DIR) \
		--list br2-external/offline/sources.txt \
		--patch-root board/common/linux configs/*_defconfig \
		board/common/linux-6.12.config

clean-all:
	rm -rf $(OUTPUT_ROOT)

# Everything else is a Buildroot target for the selected config.
Makefile br2-external/buildroot.mk: ;
%: prepare
	@test -n "$(CONFIG)" || { echo "*** No config selected: run 'make <name>_defconfig' first" >&2; exit 1; }
	$(call sources,$(O))
	$(BR_MAKE) O=$(O) $@
