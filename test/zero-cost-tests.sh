#!/bin/sh
# For every built image, check that the rustprocfile module reaches its
# handlers from procfs without indirect calls (check-zero-cost.py).
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
	echo "# $(basename "$config_dir"): $ko"
	"$here/check-zero-cost.py" "$ko" "$objdump" || status=1
done
if [ "$found" -eq 0 ]; then
	echo "zero-cost: no rustprocfile.ko under $output_root" >&2
	exit 1
fi
exit "$status"
