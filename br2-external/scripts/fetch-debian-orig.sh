#!/bin/sh
# Download the orig tarball of a Debian source package into DIR and print
# its path. Only the orig is fetched (the archive here may lack a version's
# .dsc or debian tarball), and it is checked against the SHA256 of apt's
# signed source index.
# Usage: fetch-debian-orig.sh SOURCE=VERSION DIR
set -eu

source=${1:?usage: fetch-debian-orig.sh SOURCE=VERSION DIR}
dir=${2:?usage: fetch-debian-orig.sh SOURCE=VERSION DIR}

line=$(apt-get source --print-uris --only-source "$source" 2>/dev/null |
	grep "\.orig\.tar\.[a-z0-9]*' " | head -n 1) || true
if [ -z "$line" ]; then
	echo "*** $source is not in apt's source index: is a deb-src line for" \
		"its suite configured? ('make host-setup' adds them)" >&2
	exit 1
fi
url=$(echo "$line" | cut -d"'" -f2)
name=$(echo "$line" | cut -d' ' -f2)
sum=$(echo "$line" | sed -n 's/.*SHA256:\([0-9a-f]*\).*/\1/p')
if ! wget -q --timeout=60 -O "$dir/$name.part" "$url"; then
	echo "*** downloading $url failed" >&2
	exit 1
fi
if [ "$(sha256sum "$dir/$name.part" | cut -d' ' -f1)" != "$sum" ]; then
	echo "*** $url: sha256 differs from apt's index" >&2
	exit 1
fi
mv "$dir/$name.part" "$dir/$name"
echo "$dir/$name"
