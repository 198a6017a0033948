#!/bin/sh
# Host tests: the module's storage logic, built as an ordinary Rust crate,
# checked against real files on tmpfs (cargo test).
# Usage: host-tests.sh OUTPUT_ROOT
set -eu

output_root=${1:?usage: host-tests.sh OUTPUT_ROOT}
here=$(cd "$(dirname "$0")" && pwd)
crate=$here/../package/rust-procfile/src

# Debian's cargo/rustc 1.96 (the kernel's toolchain) when installed, so host
# and kernel agree on the language version; any cargo otherwise.
cargo=cargo
if [ -x /usr/bin/cargo ] && [ -x /usr/bin/rustc ]; then
	cargo=/usr/bin/cargo
	export RUSTC=/usr/bin/rustc
fi

# Keep build products out of the module's source directory, which
# Buildroot copies as the package source.
export CARGO_TARGET_DIR="$output_root/host-tests/target"
exec "$cargo" test --manifest-path "$crate/Cargo.toml" --locked
