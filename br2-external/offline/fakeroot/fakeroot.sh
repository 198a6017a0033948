#!/bin/sh
# Run a command as if root, for Buildroot's image steps: through the host's
# fakeroot when there is one, directly when already root (the files it then
# creates really are owned by root, which is all fakeroot is for here).
if command -v /usr/bin/fakeroot >/dev/null 2>&1; then
	exec /usr/bin/fakeroot "$@"
fi
if [ "$(id -u)" -ne 0 ]; then
	echo "fakeroot: no host fakeroot and not root; install fakeroot" >&2
	exit 1
fi
[ "${1:-}" = "--" ] && shift
exec "$@"
