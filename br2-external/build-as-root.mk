################################################################################
#
# build-as-root: let configure scripts run when building as root
#
################################################################################

# Builds here may run as root (containers, CI). GNU tar's and coreutils'
# configure scripts refuse root unless told it is deliberate; Buildroot's
# host-tar is one of them.
ifeq ($(shell id -u),0)
export FORCE_UNSAFE_CONFIGURE = 1
endif
