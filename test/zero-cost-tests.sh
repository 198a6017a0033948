#!/bin/sh
# For every built image, check that the rustprocfile module reaches its
# handlers from procfs without indirect calls (check-zero-cost.py) and,
# where the config inlines the kernel's C helpers, calls none of them.
# Usage: zero-cost-tests.sh OUTPUT_ROOT
set -u

output_root=${1:?usage: zero-cost-tests.sh OUTPUT_ROOT}
here=$(cd "$(dirname "$0")" && pwd)
status=0
found=0
for ko in "$output_root"/*/build/rust-procfile-*/rustprocfile.ko; do
	[ -f "$ko" ] || continue
	found=1
	config_dir=${ko%/build/*}
	# The target toolchain's objdump, as Buildroot installed it.
	objdump=$(find "$config_dir/host/bin" -name '*-linux-gnu-objdump' | head -n 1)
	inlined=
	if grep -qx 'BR2_PACKAGE_RUST_PROCFILE_INLINE_HELPERS=y' "$config_dir/.config"; then
		inlined=--inlined-helpers
	fi
	echo "# $(basename "$config_dir"): $ko${inlined:+ (helpers inlined)}"
	"$here/check-zero-cost.py" $inlined "$ko" "$objdump" || status=1
done
if [ "$found" -eq 0 ]; then
	echo "zero-cost: no rustprocfile.ko under $output_root" >&2
	exit 1
fi
exit "$status"
