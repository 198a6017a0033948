#!/usr/bin/env python3
"""Build sources from the Debian archive, for hosts that cannot download.

Buildroot downloads each package's upstream release. Where the upstream
sites are unreachable, this takes the same release from the Debian archive
instead, or, once the archive has dropped it, the newest release of the
same upstream series that the archive still serves. Every file comes
through apt: its SHA256 is read from apt's signed index (`apt-get source
--print-uris` for an orig tarball; `apt-get download --print-uris` for
the few packages, binary firmware, whose orig Debian does not serve) and
apt's own downloader (`apt-helper download-file`) checks it.

No Debian revision is pinned: an entry names an upstream version and
series, and any Debian revision of them will do.

Subcommands (run with -h for their arguments):
  packages  fill BR2_DL_DIR and the override directories from sources.txt
  linux     stage the kernel source for a Buildroot .config
  check     run both into a temporary cache against the current archive
  select    print the candidates for one source, best first (no download)
  fetch     download one exact SOURCE=VERSION's orig (the installed
            QEMU's, for its plugin header) and print its path
"""

import argparse
import functools
import hashlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

# The kernel's Debian source packages: 'linux' (trixie and its security
# suite for 6.12, trixie-backports for 6.18) and the versioned
# bookworm-security backport ('linux-6.12'; a 'linux-<series>' the archive
# does not have simply lists nothing). Their orig tarballs are the same
# upstream release, repacked by Debian (DFSG) and so not byte-identical to
# kernel.org's.
KERNEL_SOURCES = ("linux", "linux-{series}")

# Buildroot's version string for a kernel staged from the Debian archive:
# another name than kernel.org's tarball of the same release, so that
# Buildroot never checks one against the other's hash.
KERNEL_SUFFIX = "-debian"

APT_HELPER = "/usr/lib/apt/apt-helper"


class SourceError(Exception):
    """Nothing usable: the message says what was tried and what to do."""


@dataclass(frozen=True)
class Candidate:
    """One Debian source package version that could provide an entry."""

    source: str
    version: str
    reason: str

    @property
    def upstream(self):
        return upstream_version(self.version)

    def __str__(self):
        return f"{self.source} {self.version}"


@dataclass(frozen=True)
class Fetched:
    """An orig tarball downloaded and checked against apt's index."""

    candidate: Candidate
    path: Path
    sha256: str
    url: str


def upstream_version(debian_version):
    """The upstream part of a Debian version: no epoch, no revision."""
    version = debian_version.split(":", 1)[-1]
    if "-" in version:
        version = version.rsplit("-", 1)[0]
    return version


def in_series(upstream, series):
    """Whether an upstream version belongs to a release series.

    '6.12' holds 6.12, 6.12.1 and 6.12.96 but not 6.1 or 6.120;
    '30' holds 30 and 30+20221128.
    """
    if upstream == series:
        return True
    rest = upstream[len(series):] if upstream.startswith(series) else ""
    return rest[:1] in (".", "+", "~")


def dpkg_compare(a, b):
    """Debian version order, as dpkg itself defines it."""
    if a == b:
        return 0
    if subprocess.run(["dpkg", "--compare-versions", a, "lt", b],
                      check=False).returncode == 0:
        return -1
    return 1


def candidates(index, pin, series):
    """Order the versions of an index, best first, with the reason for each.

    index: (source, Debian version) pairs in order of source preference.
    The pinned upstream version comes first (newest Debian revision
    first), then newer releases of the same series, newest first. Older
    releases are not used: the tree's patches and configuration were
    made for the pinned release and may rely on fixes it has.
    """
    order = functools.cmp_to_key(dpkg_compare)
    rank = {}
    for source, _ in index:
        rank.setdefault(source, len(rank))
    pinned, newer = [], []
    seen = set()
    for source, version in index:
        if (source, version) in seen:
            continue
        seen.add((source, version))
        upstream = upstream_version(version)
        if upstream == pin:
            pinned.append((source, version))
        elif in_series(upstream, series) and dpkg_compare(upstream, pin) > 0:
            newer.append((source, version))

    def newest_first(pairs):
        # Stable sorts: source preference breaks ties of equal versions.
        pairs = sorted(pairs, key=lambda p: rank[p[0]])
        return sorted(pairs, key=lambda p: order(p[1]), reverse=True)

    result = [Candidate(s, v, f"the pinned release {pin}")
              for s, v in newest_first(pinned)]
    gone = "is not in the archive" if not pinned else "could not be fetched"
    result += [Candidate(s, v, f"the pinned {pin} {gone}; newest {series}.y"
                         " release that is")
               for s, v in newest_first(newer)]
    return result


def parse_showsrc(text):
    """(Package, Version) pairs of `apt-cache showsrc` output, in order."""
    pairs = []
    package = None
    for line in text.splitlines():
        if line.startswith("Package: "):
            package = line.split(None, 1)[1].strip()
        elif line.startswith("Version: ") and package:
            pairs.append((package, line.split(None, 1)[1].strip()))
    return pairs


class Archive:
    """The Debian archive as apt on this host sees it.

    binary=False: source packages and their orig tarballs; binary=True:
    binary packages and their .deb files.
    """

    def index(self, sources, binary=False):
        pairs = []
        for source in sources:
            command = (["apt-cache", "show", source] if binary else
                       ["apt-cache", "showsrc", "--only-source", source])
            out = subprocess.run(command, capture_output=True, text=True,
                                 check=False).stdout
            pairs += [p for p in parse_showsrc(out) if p[0] == source]
        return pairs

    def fetch(self, candidate, directory, binary=False):
        """Download a candidate's orig tarball (binary: its .deb); None if
        the archive lacks it."""
        wanted = f"{candidate.source}={candidate.version}"
        if binary:
            command = ["apt-get", "download", "--print-uris", wanted]
            name_re = r"\S+\.deb"
        else:
            command = ["apt-get", "source", "--print-uris", "--only-source", wanted]
            name_re = r"\S+\.orig\.tar\.\w+"
        out = subprocess.run(command, capture_output=True, text=True,
                             check=False).stdout
        for line in out.splitlines():
            m = re.match(rf"'([^']+)' ({name_re}) \d+ SHA256:([0-9a-f]{{64}})$", line)
            if not m:
                continue
            url, name, sha256 = m.groups()
            path = Path(directory) / name
            done = subprocess.run(
                [APT_HELPER, "download-file", url, str(path), f"SHA256:{sha256}"],
                capture_output=True, text=True, check=False)
            if done.returncode != 0 or not path.is_file():
                return None
            return Fetched(candidate, path, sha256, url)
        return None


def fetch_first(archive, sources, pin, series, directory, what, binary=False):
    """The first candidate, best first, whose orig (binary: .deb) the
    archive serves."""
    index = archive.index(sources, binary)
    tried = []
    for candidate in candidates(index, pin, series):
        fetched = archive.fetch(candidate, directory, binary)
        if fetched:
            return fetched
        tried.append(f"{candidate} (not downloadable)")
    line_type = "deb" if binary else "deb-src"
    listed = sorted({upstream_version(v) for _, v in index},
                    key=functools.cmp_to_key(dpkg_compare))
    raise SourceError(
        f"no usable {what} in the Debian archive: wanted {pin}, or a newer"
        f" {series}.y release, of Debian {'binary package' if binary else 'source'}"
        f" {' or '.join(sources)}.\n"
        f"    tried: {', '.join(tried) or 'nothing (no such version listed)'}\n"
        f"    listed: {', '.join(listed) or f'nothing (no {line_type} line for it?)'}\n"
        "    To do: run 'apt-get update' (a stale index lists files the"
        " archive has dropped) and make again; or build online"
        " (RUSTPROCFILE_OFFLINE=n) on a host that reaches the upstream"
        " sites; or move the pin in the tree to a release the archive has.")


def sha256sum(path):
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def place_file(src, dest):
    """Copy src to dest through a temporary name (no half-written files)."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    part = dest.with_name(dest.name + ".part")
    shutil.copyfile(src, part)
    os.replace(part, dest)


@dataclass(frozen=True)
class Entry:
    """A line of sources.txt."""

    package: str
    source: str
    version: str
    series: str
    prepare: str

    @property
    def rawname(self):
        return self.package.removeprefix("host-")


def read_list(path):
    entries = []
    for line in Path(path).read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            entries.append(Entry(*line.split()))
    return entries


def buildroot_name(buildroot, entry, sha256):
    """Buildroot's file name for a tarball with this sha256, if it has one."""
    hash_file = Path(buildroot) / "package" / entry.rawname / f"{entry.rawname}.hash"
    if not hash_file.is_file():
        return None
    for line in hash_file.read_text().splitlines():
        fields = line.split()
        if len(fields) == 3 and fields[0] == "sha256" and fields[1] == sha256:
            return fields[2]
    return None


def deb_layout(step):
    """The FROM=TO pairs of a 'deb:' prepare step, or None for other steps.

    'deb:usr/lib/x=boot,usr/share/doc/x/copyright=boot/copyright' copies
    the .deb's usr/lib/x to boot/ and its copyright file to boot/copyright
    of the override directory.
    """
    if not step.startswith("deb:"):
        return None
    pairs = []
    for item in step.removeprefix("deb:").split(","):
        src, sep, dest = item.partition("=")
        if not sep or not src or not dest or ".." in Path(src).parts + Path(dest).parts:
            raise SourceError(f"bad deb: layout item '{item}' (FROM=TO, relative paths)")
        pairs.append((src, dest))
    return pairs


def unpack_deb(deb, layout, directory, work):
    """Lay out the files of a binary package as a source tree."""
    tree = Path(work) / "deb"
    shutil.rmtree(tree, ignore_errors=True)
    if subprocess.run(["dpkg-deb", "-x", str(deb), str(tree)], check=False).returncode:
        raise SourceError(f"{deb}: dpkg-deb cannot unpack it")
    for src, dest in layout:
        source, target = tree / src, Path(directory) / dest
        if source.is_dir():
            shutil.copytree(source, target, dirs_exist_ok=True)
        elif source.is_file():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
        else:
            raise SourceError(f"{deb} has no {src}")


def run_prepare(step, directory, log):
    """Make an unpacked Debian orig buildable by Buildroot's recipe."""
    if step == "autoreconf":
        # A git snapshot without configure. Its gtk-doc include comes from
        # gtkdocize; docs are not built, so an empty stand-in lets automake
        # run without gtk-doc installed.
        docs = directory / "libkmod" / "docs"
        if docs.is_dir() and not (docs / "gtk-doc.make").exists():
            (docs / "gtk-doc.make").write_text("EXTRA_DIST =\n")
        command = ["autoreconf", "-fi"]
    elif step == "bootstrap":
        command = ["./bootstrap.sh"]
    elif step == "none":
        return
    else:
        raise SourceError(f"unknown prepare step '{step}'")
    with open(log, "w") as out:
        if subprocess.run(command, cwd=directory, stdout=out,
                          stderr=subprocess.STDOUT, check=False).returncode:
            raise SourceError(f"'{' '.join(command)}' failed in {directory};"
                              f" see {log}")


def staged_marker(cache, entry):
    return Path(cache) / "offline" / f"{entry.package}.staged"


def staged(cache, entry, buildroot):
    """What an earlier run staged for this entry, if it still holds.

    A marker holds the destination, what it was staged for (the entry's
    source, version, series and prepare step, and the Buildroot release
    whose hashes decided between BR2_DL_DIR and an override) and the log
    line. A different entry or Buildroot release, or a missing
    destination, means staging again.
    """
    marker = staged_marker(cache, entry)
    if not marker.is_file():
        return None
    lines = marker.read_text().splitlines()
    if len(lines) != 3:
        return None
    dest, identity, message = lines
    if identity != staging_identity(entry, buildroot) or not Path(dest).exists():
        return None
    return Path(dest), message


def staging_identity(entry, buildroot):
    return (f"{entry.source} {entry.version} {entry.series} {entry.prepare}"
            f" {Path(buildroot).resolve().name}")


def stage_package(archive, buildroot, entry, cache, dl_dir, work):
    """Put one sources.txt entry into BR2_DL_DIR or an override directory.

    A Debian orig that is byte-identical to a tarball Buildroot knows (its
    sha256 is in the package's .hash file) goes into BR2_DL_DIR under
    Buildroot's name, and Buildroot builds it as usual, with its own
    patches. Any other is unpacked into CACHE/override/<package>, built
    through <PKG>_OVERRIDE_SRCDIR (Buildroot applies no patches to those).
    A binary package (prepare step 'deb:...') is laid out as the source
    tree its Buildroot package expects, also as an override.
    Returns the destination and the log line saying what was taken and why.
    """
    done = staged(cache, entry, buildroot)
    if done:
        return done
    override = Path(cache) / "override" / entry.package
    layout = deb_layout(entry.prepare)
    fetched = fetch_first(archive, [entry.source], entry.version, entry.series,
                          work, entry.package, binary=layout is not None)
    name = None if layout else buildroot_name(buildroot, entry, fetched.sha256)
    if name:
        dest = Path(dl_dir) / entry.rawname / name
        place_file(fetched.path, dest)
        how = f"{dest} (sha256 matches Buildroot's hash)"
    else:
        shutil.rmtree(override, ignore_errors=True)
        override.mkdir(parents=True)
        if layout:
            unpack_deb(fetched.path, layout, override, work)
            how = f"{override} (override source, from the binary package)"
        else:
            if subprocess.run(["tar", "-xf", str(fetched.path), "-C", str(override),
                               "--strip-components=1"], check=False).returncode:
                raise SourceError(f"{fetched.path}: cannot unpack it into {override}")
            run_prepare(entry.prepare, override, override.with_suffix(".log"))
            how = f"{override} (override source)"
        dest = override
    message = (f"{entry.package}: Debian {fetched.candidate} -> {how}:"
               f" {fetched.candidate.reason}")
    marker = staged_marker(cache, entry)
    marker.parent.mkdir(parents=True, exist_ok=True)
    marker.write_text(f"{dest}\n{staging_identity(entry, buildroot)}\n{message}\n")
    return dest, message


def write_overrides(cache, overrides):
    """CACHE/offline/overrides.mk: the <PKG>_OVERRIDE_SRCDIR of each entry
    that is an override source, and of nothing else (override.mk reads it).
    """
    offline = Path(cache) / "offline"
    offline.mkdir(parents=True, exist_ok=True)
    lines = ["# Written by debian_sources.py from sources.txt: the packages built"
             " from Debian sources"]
    for package, directory in overrides:
        variable = package.upper().replace("-", "_")
        lines.append(f"{variable}_OVERRIDE_SRCDIR = {directory}")
    part = offline / "overrides.mk.part"
    part.write_text("\n".join(lines) + "\n")
    os.replace(part, offline / "overrides.mk")


def kernel_pin(config):
    """The kernel version a Buildroot .config asks for."""
    m = re.search(r'^BR2_LINUX_KERNEL_CUSTOM_VERSION_VALUE="([^"]+)"$',
                  Path(config).read_text(), re.M)
    if not m:
        raise SourceError(f"{config}: no BR2_LINUX_KERNEL_CUSTOM_VERSION_VALUE")
    return m.group(1)


def kernel_series(version):
    return ".".join(version.split(".")[:2])


def stage_linux(archive, pin, cache, dl_dir, work):
    """Stage the Debian orig of the kernel pinned at `pin`; one log line.

    The tarball goes into BR2_DL_DIR/linux as linux-<version>-debian.tar.xz
    and its sha256 (apt's) into CACHE/offline/linux.hash, which
    linux/linux-hash.mk adds to the linux package's hash
    files; CACHE/offline/linux-<pin>.selected tells override.mk which
    version to build. Once staged, a selection stays: a cache built
    yesterday keeps building the same kernel.
    """
    offline = Path(cache) / "offline"
    record = offline / f"linux-{pin}.selected"
    if record.is_file():
        version, source, debver, sha256, *why = record.read_text().split()
        tarball = Path(dl_dir) / "linux" / f"linux-{version}{KERNEL_SUFFIX}.tar.xz"
        if tarball.is_file():
            return (f"linux: building {version} from the Debian archive"
                    f" ({source} {debver}, staged in {tarball}): "
                    + " ".join(why))
    series = kernel_series(pin)
    sources = [s.format(series=series) for s in KERNEL_SOURCES]
    fetched = fetch_first(archive, sources, pin, series, work, "Linux source")
    version = fetched.candidate.upstream
    tarball = Path(dl_dir) / "linux" / f"linux-{version}{KERNEL_SUFFIX}.tar.xz"
    source, debver, sha256 = (fetched.candidate.source, fetched.candidate.version,
                              fetched.sha256)
    # Another pin of the cache may have staged this release already, from
    # another source package (another repack, another sha256): one file
    # name has one hash, so keep that tarball.
    for other in offline.glob("linux-*.selected"):
        o_version, o_source, o_debver, o_sha256, *_ = other.read_text().split()
        if o_version == version and tarball.is_file():
            source, debver, sha256 = o_source, o_debver, o_sha256
            break
    else:
        place_file(fetched.path, tarball)
    offline.mkdir(parents=True, exist_ok=True)
    record.write_text(f"{version} {source} {debver} {sha256}"
                      f" {fetched.candidate.reason}\n")
    write_linux_hash(offline, dl_dir)
    return (f"linux: building {version} from the Debian archive"
            f" ({fetched.candidate}, {fetched.url}): {fetched.candidate.reason}")


def write_linux_hash(offline, dl_dir):
    """CACHE/offline/linux.hash from every kernel selection in the cache."""
    hashes = {}
    for record in sorted(offline.glob("linux-*.selected")):
        version, _, _, sha256, *_ = record.read_text().split()
        hashes[f"linux-{version}{KERNEL_SUFFIX}.tar.xz"] = sha256
    lines = ["# Debian orig tarballs staged by debian_sources.py; sha256 from"
             " apt's signed source index"]
    lines += [f"sha256  {sha256}  {name}" for name, sha256 in sorted(hashes.items())]
    part = offline / "linux.hash.part"
    part.write_text("\n".join(lines) + "\n")
    os.replace(part, offline / "linux.hash")


def apt_update(allowed):
    """Refresh apt's index before fetching, if the host may be touched.

    A failure (one unreachable third-party source, say) leaves the index as
    it was, which may still serve: the fetch says if it does not.
    """
    if not allowed:
        return
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    print("debian-sources: apt-get update", flush=True)
    if subprocess.run(sudo + ["apt-get", "update", "-qq"], check=False).returncode:
        print("debian-sources: apt-get update failed; using the index as it is",
              file=sys.stderr, flush=True)


def cmd_packages(args, archive):
    entries = read_list(args.list)
    if any(not staged(args.cache, e, args.buildroot) for e in entries):
        apt_update(args.update)
    overrides = []
    with tempfile.TemporaryDirectory() as work:
        for entry in entries:
            dest, message = stage_package(archive, args.buildroot, entry, args.cache,
                                          args.dl_dir, work)
            print(message, flush=True)
            if Path(dest).is_dir():
                overrides.append((entry.package, dest))
    write_overrides(args.cache, overrides)


def cmd_linux(args, archive):
    pin = args.version or kernel_pin(args.config)
    record = Path(args.cache) / "offline" / f"linux-{pin}.selected"
    if not record.is_file():
        apt_update(args.update)
    with tempfile.TemporaryDirectory() as work:
        print(stage_linux(archive, pin, args.cache, args.dl_dir, work), flush=True)


def patches_apply(tarball, patch_dir, work):
    """Apply the tree's kernel patches, in order, to a kernel tarball.

    Only the files the patches touch are unpacked. Returns None, or what
    failed.
    """
    patches = sorted(Path(patch_dir).resolve().glob("*.patch"))
    paths = set()
    for patch in patches:
        for line in patch.read_text(errors="replace").splitlines():
            if line.startswith(("--- a/", "+++ b/")):
                paths.add(line[6:].split("\t")[0])
    tree = Path(work) / "tree"
    tree.mkdir()
    # Files the patches create are not in the tarball: tar says so and
    # goes on, so its status is not the verdict; patch's is.
    subprocess.run(["tar", "-xf", str(tarball), "-C", str(tree),
                    "--strip-components=1", "--wildcards"]
                   + [f"*/{p}" for p in sorted(paths)],
                   capture_output=True, check=False)
    for patch in patches:
        # Buildroot applies patches with no fuzz (apply-patches.sh: -F0).
        done = subprocess.run(["patch", "-F0", "-p1", "--batch", "--forward", "-s",
                               "-i", str(patch)], cwd=tree,
                              capture_output=True, text=True, check=False)
        if done.returncode:
            return (f"{patch.name} does not apply: "
                    + " ".join((done.stdout + done.stderr).split())[:300])
    return None


def newest_fetchable(archive, pin, series, work, sources):
    """The newest release of the series above the pin the archive serves."""
    index = archive.index(sources)
    for candidate in candidates(index, pin, series):
        if candidate.upstream == pin:
            continue
        fetched = archive.fetch(candidate, work)
        if fetched:
            return fetched
    return None


class Tap:
    """TAP lines, numbered as they come, with the plan at the end."""

    def __init__(self):
        self.count = 0
        self.failed = 0
        print("TAP version 13", flush=True)

    def result(self, ok, text):
        self.count += 1
        self.failed += 0 if ok else 1
        print(f"{'ok' if ok else 'not ok'} {self.count} - {text}", flush=True)

    def done(self):
        print(f"1..{self.count}")
        print(f"# debian-sources: {self.count - self.failed} passed,"
              f" {self.failed} failed")
        return 1 if self.failed else 0


def series_patches(patch_root, series):
    """The kernel patches of a series: PATCH_ROOT/<series>/*.patch, in the
    order Buildroot applies them (linux/linux-ext-series.mk)."""
    directory = Path(patch_root) / series
    return directory, sorted(directory.glob("*.patch"))


def check_kernel(tap, archive, pin, patch_root, cache, dl_dir):
    """TAP lines for one kernel pin: its staging, then its series' patches
    applied to the release a build takes and to the newest release of the
    series the archive serves."""
    series = kernel_series(pin)
    with tempfile.TemporaryDirectory() as work:
        try:
            tap.result(True, stage_linux(archive, pin, cache, dl_dir, work))
        except SourceError as e:
            tap.result(False, f"linux {pin}: {e}")
            return
    record = (Path(cache) / "offline" / f"linux-{pin}.selected").read_text()
    version = record.split()[0]
    tarball = Path(dl_dir) / "linux" / f"linux-{version}{KERNEL_SUFFIX}.tar.xz"
    patch_dir, patches = series_patches(patch_root, series)
    if not patches:
        # A build of the series would stop (linux-ext-series.mk): the
        # module needs the patches, so no patches is no pass.
        tap.result(False, f"linux {version}: no patches in {patch_dir}")
        tap.result(True, f"linux {series}: # SKIP no patches in {patch_dir} to apply")
        return
    with tempfile.TemporaryDirectory() as work:
        failure = patches_apply(tarball, patch_dir, work)
        tap.result(not failure, f"linux {version}: the patches of {patch_dir}"
                   f" apply{': ' + failure if failure else ''}")
    if version != pin:
        # The build itself fell back: that release was checked above.
        tap.result(True, f"linux {series}: # SKIP the pinned {pin} is gone;"
                   f" {version} is the fallback, checked above")
        return
    with tempfile.TemporaryDirectory() as work:
        sources = [s.format(series=series) for s in KERNEL_SOURCES]
        newest = newest_fetchable(archive, pin, series, work, sources)
        if not newest:
            tap.result(True, f"linux {series}: # SKIP no release above {pin}"
                       " is downloadable")
            return
        failure = patches_apply(newest.path, patch_dir, work)
        tap.result(not failure, f"linux {newest.candidate.upstream} (newest"
                   f" {series}.y, the fallback): the patches of {patch_dir} apply"
                   f"{': ' + failure if failure else ''}")


def cmd_check(args, archive):
    """What a fresh cache would fetch today, and that the patches apply.

    Every entry and kernel pin is staged into a temporary cache, exactly
    as a build would; each pin's series' kernel patches
    (PATCH_ROOT/<series>/) are applied to the release a build would take
    and to the newest release of its series the archive serves, the one a
    build takes once the pinned release is gone.
    """
    apt_update(args.update)
    tap = Tap()
    with tempfile.TemporaryDirectory() as cache:
        dl_dir = Path(cache) / "dl"
        for entry in read_list(args.list):
            with tempfile.TemporaryDirectory() as work:
                try:
                    tap.result(True, stage_package(archive, args.buildroot, entry,
                                                   cache, dl_dir, work)[1])
                except SourceError as e:
                    tap.result(False, f"{entry.package}: {e}")
        for pin in sorted({kernel_pin(c) for c in args.configs},
                          key=functools.cmp_to_key(dpkg_compare)):
            check_kernel(tap, archive, pin, args.patch_root, cache, dl_dir)
    return tap.done()


def cmd_select(args, _archive):
    """Offline view of the selection, on an index file or apt's index."""
    if args.index:
        index = parse_showsrc(Path(args.index).read_text())
        index = [p for p in index if p[0] in args.source]
    else:
        index = Archive().index(args.source)
    found = candidates(index, args.version, args.series)
    if not found:
        raise SourceError(
            f"no {args.series}.y release at or above {args.version} of"
            f" {' or '.join(args.source)} in the index")
    for c in found:
        print(f"{c.source}\t{c.version}\t{c.reason}")


def cmd_fetch(args, archive):
    """One exact version: the source of a package installed on this host."""
    source, version = args.package.split("=", 1)
    fetched = archive.fetch(Candidate(source, version, "installed"), args.dir)
    if not fetched:
        raise SourceError(f"{args.package}: no downloadable orig tarball in"
                          " the archive (is a deb-src line for its suite set up?"
                          " 'make host-setup' adds them)")
    print(fetched.path)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--no-update", dest="update", action="store_false",
                        help="do not run 'apt-get update' (the host's index"
                        " is used as it is)")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("packages", help="stage the entries of sources.txt")
    p.add_argument("--buildroot", required=True)
    p.add_argument("--list", required=True)
    p.add_argument("--cache", required=True)
    p.add_argument("--dl-dir", required=True)

    p = sub.add_parser("linux", help="stage the kernel of a .config")
    group = p.add_mutually_exclusive_group(required=True)
    group.add_argument("--config", help="Buildroot .config")
    group.add_argument("--version", help="pinned upstream kernel version")
    p.add_argument("--cache", required=True)
    p.add_argument("--dl-dir", required=True)

    p = sub.add_parser("check", help="stage everything into a temporary cache")
    p.add_argument("--buildroot", required=True)
    p.add_argument("--list", required=True)
    p.add_argument("--patch-root", required=True,
                   help="directory of the kernel patches, one subdirectory per"
                   " series (6.12/, 6.18/)")
    p.add_argument("configs", nargs="+",
                   help="defconfigs or config fragments (their kernel pins)")

    p = sub.add_parser("select", help="list candidates, best first")
    p.add_argument("--index", help="apt-cache showsrc output (default: apt's)")
    p.add_argument("--source", action="append", required=True)
    p.add_argument("--version", required=True)
    p.add_argument("--series", required=True)

    p = sub.add_parser("fetch", help="download one exact version's orig")
    p.add_argument("package", help="SOURCE=VERSION")
    p.add_argument("dir")

    args = parser.parse_args(argv)
    handler = {"packages": cmd_packages, "linux": cmd_linux, "check": cmd_check,
               "select": cmd_select, "fetch": cmd_fetch}[args.command]
    try:
        return handler(args, Archive()) or 0
    except SourceError as e:
        print(f"*** debian-sources: {e}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
