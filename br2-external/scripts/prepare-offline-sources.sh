#!/bin/sh
# Fill BR2_DL_DIR and the override source directories from the Debian
# archive, for hosts that cannot reach Buildroot's download sites.
# Usage: prepare-offline-sources.sh BUILDROOT_DIR SOURCES_TXT CACHE_DIR DL_DIR
set -eu

br=${1:?buildroot dir}
list=${2:?sources list}
cache=${3:?cache dir}
dl=${4:?dl dir}
overrides=$cache/override

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Download the Debian source package $1 (name=version) into $work/$1 and
# print the path of its orig tarball.
fetch_orig() {
	dir=$work/$(echo "$1" | tr '=:~+' '____')
	mkdir -p "$dir"
	(cd "$dir" && apt-get source --download-only --only-source "$1" >/dev/null 2>"$dir.err") || {
		cat "$dir.err" >&2
		echo "*** apt-get source $1 failed: is a deb-src line for its suite configured?" \
			"(make host-setup adds them)" >&2
		return 1
	}
	ls "$dir"/*.orig.tar.*
}

grep -v '^#' "$list" | while read -r mode pkg source file; do
	[ -n "$mode" ] || continue
	case $mode in
	dl)
		dest=$dl/$pkg/$file
		[ -f "$dest" ] && continue
		orig=$(fetch_orig "$source")
		want=$(awk -v f="$file" '$1 == "sha256" && $3 == f { print $2 }' \
			"$br/package/$pkg/$pkg.hash")
		got=$(sha256sum "$orig" | cut -d' ' -f1)
		if [ -z "$want" ] || [ "$want" != "$got" ]; then
			echo "*** $source: orig sha256 $got does not match Buildroot's" \
				"'$want' for $file" >&2
			exit 1
		fi
		mkdir -p "$dl/$pkg"
		cp "$orig" "$dest.part"
		mv "$dest.part" "$dest"
		echo "dl: $dest (sha256 matches Buildroot's hash)"
		;;
	override)
		dest=$overrides/$pkg
		[ -f "$dest/.prepared" ] && continue
		orig=$(fetch_orig "$source")
		rm -rf "$dest"
		mkdir -p "$dest"
		tar -xf "$orig" -C "$dest" --strip-components=1
		case $file in
		autoreconf) (cd "$dest" && autoreconf -fi >/dev/null 2>&1) ;;
		bootstrap) (cd "$dest" && ./bootstrap.sh >/dev/null 2>&1) ;;
		none) ;;
		*) echo "*** unknown prepare step '$file' for $pkg" >&2; exit 1 ;;
		esac
		touch "$dest/.prepared"
		echo "override: $dest (from Debian $source)"
		;;
	*)
		echo "*** unknown mode '$mode' in $list" >&2
		exit 1
		;;
	esac
done
