#!/bin/sh
# Self-test of /proc/rustfile through the tools a user has at the serial
# console (BusyBox echo, cat, dd, ls), printed as KTAP.
# Usage: shell-selftest.sh [PATH]

file=${1:-/proc/rustfile}
n=0
failed=0

run() {
	name=$1
	shift
	n=$((n + 1))
	if "$@"; then
		echo "ok $n $name"
	else
		echo "# $name: contents now: $(od -c "$file" 2>&1 | head -n 3 | tr '\n' ' ')"
		echo "not ok $n $name"
		failed=$((failed + 1))
	fi
}

echo_then_cat() {
	echo hello >"$file" && [ "$(cat "$file")" = hello ]
}

dd_seek_overwrites() {
	echo "hello world" >"$file" &&
		printf WORLD | dd of="$file" bs=1 seek=6 conv=notrunc 2>/dev/null &&
		[ "$(cat "$file")" = "hello WORLD" ]
}

dd_skip_reads_at_offset() {
	echo "hello world" >"$file" &&
		[ "$(dd if="$file" bs=1 skip=6 count=5 2>/dev/null)" = world ]
}

dd_seek_past_end_leaves_hole() {
	: >"$file" &&
		printf x | dd of="$file" bs=1 seek=3 conv=notrunc 2>/dev/null &&
		printf '\000\000\000x' | cmp -s - "$file"
}

ls_shows_size() {
	printf '0123456789' >"$file" || return 1
	# shellcheck disable=SC2046 # split ls -l into fields on purpose
	set -- $(ls -l "$file")
	[ "$5" = 10 ]
}

append_redirect() {
	echo a >"$file" && echo b >>"$file" && [ "$(cat "$file")" = "$(printf 'a\nb')" ]
}

truncate_redirect() {
	echo data >"$file" && : >"$file" && [ -z "$(cat "$file")" ]
}

echo "KTAP version 1"
echo "# shell-selftest: $file"
echo "1..7"
run echo_then_cat echo_then_cat
run dd_seek_overwrites dd_seek_overwrites
run dd_skip_reads_at_offset dd_skip_reads_at_offset
run dd_seek_past_end_leaves_hole dd_seek_past_end_leaves_hole
run ls_shows_size ls_shows_size
run append_redirect append_redirect
run truncate_redirect truncate_redirect
: >"$file"
echo "# totals: pass:$((n - failed)) fail:$failed"
[ "$failed" -eq 0 ]
