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

here=$(cd "$(dirname "$0")" && pwd)
fetch_orig() {
	"$here/fetch-debian-orig.sh" "$1" "$work"
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
		autoreconf)
			# A git snapshot without configure. Its gtk-doc include
			# comes from gtkdocize; docs are not built, so an empty
			# stand-in lets automake run without gtk-doc installed.
			if [ -d "$dest/libkmod/docs" ] && [ ! -e "$dest/libkmod/docs/gtk-doc.make" ]; then
				echo 'EXTRA_DIST =' >"$dest/libkmod/docs/gtk-doc.make"
			fi
			(cd "$dest" && autoreconf -fi >"$dest.log" 2>&1) || {
				cat "$dest.log" >&2
				exit 1
			}
			;;
		bootstrap)
			(cd "$dest" && ./bootstrap.sh >"$dest.log" 2>&1) || {
				cat "$dest.log" >&2
				exit 1
			}
			;;
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
