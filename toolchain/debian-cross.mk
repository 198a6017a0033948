################################################################################
#
# Debian cross GCC as a Buildroot external toolchain
#
################################################################################

# Buildroot's check_unusable_toolchain (toolchain/helpers.mk) rejects any
# compiler built with --with-sysroot=/ because such a compiler is not
# relocatable; a pre-installed Debian cross GCC never needs relocating. The
# check is a variable expanded when the toolchain recipe runs, and this file
# is read after Buildroot's helpers, so this definition is the one used. It
# keeps Buildroot's remaining checks: a sysroot must be found through
# libc.a, for the selected CFLAGS too.
ifeq ($(BR2_RUSTPROCFILE_DEBIAN_CROSS_TOOLCHAIN),y)
check_unusable_toolchain = \
	__CROSS_CC=$(strip $1) ; \
	__TOOLCHAIN_CFLAGS=$(strip $2) ; \
	if test "`$${__CROSS_CC} -print-file-name=libc.a`" = "libc.a" ; then \
		echo "Unable to detect the toolchain sysroot." ; \
		exit 1 ; \
	fi ; \
	if test "`$${__CROSS_CC} $${__TOOLCHAIN_CFLAGS} -print-file-name=libc.a`" = "libc.a" ; then \
		echo "Unable to detect the toolchain architecture sysroot." ; \
		exit 1 ; \
	fi ; \
	if test -z "$(call toolchain_find_sysroot,$${__CROSS_CC})" ; then \
		echo "External toolchain doesn't support --sysroot. Cannot use." ; \
		exit 1 ; \
	fi
endif
