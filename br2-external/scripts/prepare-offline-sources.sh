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

# Download the orig tarball of Debian source package $1 (name=version) into
# $work and print its path. Only the orig is fetched (the archive here may
# lack a version's .dsc or debian tarball), and it is checked against the
# SHA256 of apt's signed source index.
fetch_orig() {
	line=$(apt-get source --print-uris --only-source "$1" 2>/dev/null |
		grep "\.orig\.tar\.[a-z0-9]*' " | head -n 1) || true
	if [ -z "$line" ]; then
		echo "*** $1 is not in apt's source index: is a deb-src line for" \
			"its suite configured? ('make host-setup' adds them)" >&2
		return 1
	fi
	url=$(echo "$line" | cut -d"'" -f2)
	name=$(echo "$line" | cut -d' ' -f2)
	sum=$(echo "$line" | sed -n 's/.*SHA256:\([0-9a-f]*\).*/\1/p')
	if ! wget -q --timeout=60 -O "$work/$name" "$url"; then
		echo "*** downloading $url failed" >&2
		return 1
	fi
	if [ "$(sha256sum "$work/$name" | cut -d' ' -f1)" != "$sum" ]; then
		echo "*** $url: sha256 differs from apt's index" >&2
		return 1
	fi
	echo "$work/$name"
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
