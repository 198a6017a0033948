#!/usr/bin/env python3
"""Unit tests of the Debian source selection (debian_sources.py).

The archive is a fake: an index as `apt-cache showsrc` prints it and the
set of orig tarballs it still serves, so that each test can say how the
real archive moves on (a revision replaced, a release dropped, a series
gone) and check what the build would then take. Output: unittest's.
"""

import argparse
import contextlib
import io
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "br2-external" / "scripts"))

import debian_sources as ds  # noqa: E402


def showsrc(*pairs):
    """`apt-cache showsrc` text for (source, version) pairs."""
    return "\n".join(f"Package: {s}\nBinary: x\nVersion: {v}\n" for s, v in pairs)


class FakeArchive:
    """An index and the versions whose orig tarball can be downloaded.

    Binary packages (binary=True) are real .deb files, each holding
    usr/lib/<package>/start.elf and usr/share/doc/<package>/copyright.
    """

    def __init__(self, index, downloadable=None):
        self._index = index
        self.downloadable = set(index if downloadable is None else downloadable)
        self.tried = []

    def index(self, sources, binary=False):
        return [p for p in self._index if p[0] in sources]

    def fetch(self, candidate, directory, binary=False):
        self.tried.append((candidate.source, candidate.version))
        if (candidate.source, candidate.version) not in self.downloadable:
            return None
        if binary:
            return self.fetch_deb(candidate, Path(directory))
        name = f"{candidate.source}_{candidate.upstream}.orig.tar.xz"
        path = Path(directory) / name
        path.write_bytes(f"{candidate.source} {candidate.version}".encode())
        return ds.Fetched(candidate, path, ds.sha256sum(path), f"http://fake/{name}")

    def fetch_deb(self, candidate, directory):
        package = candidate.source
        tree = directory / f"deb-{package}"
        (tree / "DEBIAN").mkdir(parents=True)
        (tree / "DEBIAN" / "control").write_text(
            f"Package: {package}\nVersion: {candidate.version}\nArchitecture: all\n"
            "Maintainer: test <test@example.org>\nDescription: test\n")
        for rel, text in ((f"usr/lib/{package}/start.elf", candidate.version),
                          (f"usr/share/doc/{package}/copyright", "licence")):
            (tree / rel).parent.mkdir(parents=True, exist_ok=True)
            (tree / rel).write_text(text)
        path = directory / f"{package}_{candidate.version}_all.deb"
        subprocess.run(["dpkg-deb", "--build", "--root-owner-group", str(tree), str(path)],
                       check=True, capture_output=True)
        return ds.Fetched(candidate, path, ds.sha256sum(path), f"http://fake/{path.name}")


class Versions(unittest.TestCase):
    def test_upstream_version(self):
        self.assertEqual(ds.upstream_version("6.12.96-1"), "6.12.96")
        self.assertEqual(ds.upstream_version("1:1.37.0-6"), "1.37.0")
        self.assertEqual(ds.upstream_version("6.18.15-1~bpo13+1"), "6.18.15")
        self.assertEqual(ds.upstream_version("1.35+dfsg-3.1"), "1.35+dfsg")
        self.assertEqual(ds.upstream_version("30+20221128-1"), "30+20221128")
        self.assertEqual(ds.upstream_version("2.72"), "2.72")

    def test_series(self):
        self.assertTrue(ds.in_series("6.12.96", "6.12"))
        self.assertTrue(ds.in_series("6.12", "6.12"))
        self.assertFalse(ds.in_series("6.1.170", "6.12"))
        self.assertFalse(ds.in_series("6.120.1", "6.12"))
        self.assertFalse(ds.in_series("6.18.15", "6.12"))
        self.assertTrue(ds.in_series("30+20221128", "30"))
        self.assertFalse(ds.in_series("300", "30"))

    def test_showsrc(self):
        text = showsrc(("linux", "6.12.96-1"), ("linux", "6.18.15-1~bpo13+1"))
        self.assertEqual(ds.parse_showsrc(text),
                         [("linux", "6.12.96-1"), ("linux", "6.18.15-1~bpo13+1")])


class Selection(unittest.TestCase):
    KERNELS = [("linux", "6.12.90-1"), ("linux", "6.12.96-1"),
               ("linux", "6.12.107-1"), ("linux-6.12", "6.12.118-1~deb12u1"),
               ("linux", "6.18.15-1~bpo13+1"), ("linux", "6.1.170-1")]

    def order(self, index, pin, series):
        return [(c.source, c.version) for c in ds.candidates(index, pin, series)]

    def test_pin_first_then_newer_of_series_newest_first(self):
        self.assertEqual(self.order(self.KERNELS, "6.12.96", "6.12"),
                         [("linux", "6.12.96-1"),
                          ("linux-6.12", "6.12.118-1~deb12u1"),
                          ("linux", "6.12.107-1")])

    def test_newest_revision_of_pin_first(self):
        index = [("m4", "1.4.19-3"), ("m4", "1.4.19-8"), ("m4", "1.4.18-5")]
        self.assertEqual(self.order(index, "1.4.19", "1.4"),
                         [("m4", "1.4.19-8"), ("m4", "1.4.19-3")])

    def test_epochs_do_not_hide_the_pin(self):
        index = [("busybox", "1:1.35.0-4+deb12u1"), ("busybox", "1:1.37.0-6")]
        self.assertEqual(self.order(index, "1.37.0", "1.37"),
                         [("busybox", "1:1.37.0-6")])

    def test_source_order_breaks_ties(self):
        index = [("linux", "6.12.96-1"), ("linux-6.12", "6.12.96-1")]
        self.assertEqual(self.order(index, "6.12.96", "6.12")[0], ("linux", "6.12.96-1"))

    def test_older_releases_and_other_series_are_not_candidates(self):
        index = [("linux", "6.12.90-1"), ("linux", "6.18.15-1~bpo13+1")]
        self.assertEqual(self.order(index, "6.12.96", "6.12"), [])


class Staging(unittest.TestCase):
    """What a build stages when the archive has moved on."""

    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        root = Path(self.tmp.name)
        self.cache, self.dl, self.work = root / "cache", root / "dl", root / "work"
        self.work.mkdir()

    def tearDown(self):
        self.tmp.cleanup()

    def stage(self, archive, pin="6.12.96"):
        return ds.stage_linux(archive, pin, self.cache, self.dl, self.work)

    def test_pinned_release_when_the_archive_has_it(self):
        archive = FakeArchive([("linux", "6.12.96-1"), ("linux", "6.12.107-1")])
        line = self.stage(archive)
        self.assertIn("building 6.12.96 ", line)
        self.assertIn("the pinned release 6.12.96", line)
        self.assertTrue((self.dl / "linux" / "linux-6.12.96-debian.tar.xz").is_file())

    def test_pin_gone_newer_release_of_series(self):
        # The revision the tree was made with was replaced, then dropped:
        # only newer 6.12 releases (and another series) are left.
        archive = FakeArchive([("linux", "6.12.107-1"), ("linux-6.12", "6.12.118-1~deb12u1"),
                               ("linux", "6.18.15-1~bpo13+1")])
        line = self.stage(archive)
        self.assertIn("building 6.12.118 ", line)
        self.assertIn("the pinned 6.12.96 is not in the archive", line)
        tarball = self.dl / "linux" / "linux-6.12.118-debian.tar.xz"
        hash_line = (self.cache / "offline" / "linux.hash").read_text().splitlines()[-1]
        self.assertEqual(hash_line.split(), ["sha256", ds.sha256sum(tarball), tarball.name])
        record = (self.cache / "offline" / "linux-6.12.96.selected").read_text().split()
        self.assertEqual(record[0], "6.12.118")

    def test_listed_but_not_downloadable_falls_through(self):
        # The index still lists files the pool has dropped (they 404).
        index = [("linux", "6.12.96-1"), ("linux", "6.12.107-1"), ("linux", "6.12.118-1")]
        archive = FakeArchive(index, downloadable=[("linux", "6.12.107-1")])
        line = self.stage(archive)
        self.assertIn("building 6.12.107 ", line)
        self.assertIn("could not be fetched", line)
        self.assertEqual(archive.tried, [("linux", "6.12.96-1"), ("linux", "6.12.118-1"),
                                         ("linux", "6.12.107-1")])

    def test_a_selection_stays(self):
        self.stage(FakeArchive([("linux", "6.12.107-1")]))
        # Later the archive moves on again; the cache keeps its kernel.
        later = FakeArchive([("linux", "6.12.120-1")])
        line = self.stage(later)
        self.assertIn("building 6.12.107 ", line)
        self.assertEqual(later.tried, [])

    def test_nothing_of_the_series_left_fails_with_what_to_do(self):
        archive = FakeArchive([("linux", "6.12.90-1"), ("linux", "6.18.15-1~bpo13+1")])
        with self.assertRaises(ds.SourceError) as caught:
            self.stage(archive)
        message = str(caught.exception)
        self.assertIn("wanted 6.12.96, or a newer 6.12.y release", message)
        self.assertIn("apt-get update", message)
        self.assertIn("RUSTPROCFILE_OFFLINE=n", message)
        self.assertIn("listed: 6.12.90, 6.18.15", message)
        self.assertFalse((self.dl / "linux").exists())

    def test_nothing_downloadable_fails(self):
        archive = FakeArchive([("linux", "6.12.96-1")], downloadable=[])
        with self.assertRaises(ds.SourceError) as caught:
            self.stage(archive)
        self.assertIn("linux 6.12.96-1 (not downloadable)", str(caught.exception))

    def test_package_identical_to_buildroot_goes_to_dl_dir(self):
        archive = FakeArchive([("busybox", "1:1.37.0-6")])
        orig = "busybox 1:1.37.0-6".encode()
        buildroot = Path(self.tmp.name) / "buildroot"
        (buildroot / "package" / "busybox").mkdir(parents=True)
        import hashlib
        digest = hashlib.sha256(orig).hexdigest()
        (buildroot / "package" / "busybox" / "busybox.hash").write_text(
            f"sha256  {digest}  busybox-1.37.0.tar.bz2\n")
        entry = ds.Entry("busybox", "busybox", "1.37.0", "1.37", "none")
        dest, line = ds.stage_package(archive, buildroot, entry, self.cache, self.dl,
                                      self.work)
        self.assertIn("sha256 matches Buildroot's hash", line)
        self.assertEqual(dest, self.dl / "busybox" / "busybox-1.37.0.tar.bz2")
        self.assertEqual(dest.read_bytes(), orig)
        # Staged once, said every time; staged again for another entry.
        later = FakeArchive([])
        self.assertEqual(ds.stage_package(later, buildroot, entry, self.cache, self.dl,
                                          self.work), (dest, line))
        bumped = ds.Entry("busybox", "busybox", "1.37.1", "1.37", "none")
        with self.assertRaises(ds.SourceError):
            ds.stage_package(later, buildroot, bumped, self.cache, self.dl, self.work)

    def test_binary_package_laid_out_as_override(self):
        archive = FakeArchive([("raspi-firmware", "1.20220830+ds-1"),
                               ("raspi-firmware", "1.20230405+ds-1")],
                              downloadable=[("raspi-firmware", "1.20230405+ds-1")])
        layout = ("deb:usr/lib/raspi-firmware=boot,"
                  "usr/share/doc/raspi-firmware/copyright=boot/copyright")
        entry = ds.Entry("rpi-firmware", "raspi-firmware", "1.20220830+ds", "1", layout)
        dest, line = ds.stage_package(archive, Path(self.tmp.name), entry, self.cache,
                                      self.dl, self.work)
        self.assertIn("from the binary package", line)
        self.assertIn("raspi-firmware 1.20230405+ds-1", line)
        self.assertEqual(dest, self.cache / "override" / "rpi-firmware")
        self.assertEqual((dest / "boot" / "start.elf").read_text(), "1.20230405+ds-1")
        self.assertEqual((dest / "boot" / "copyright").read_text(), "licence")
        overrides = [("rpi-firmware", dest)]
        ds.write_overrides(self.cache, overrides)
        self.assertIn(f"RPI_FIRMWARE_OVERRIDE_SRCDIR = {dest}",
                      (self.cache / "offline" / "overrides.mk").read_text())

    def test_binary_package_without_the_files_fails(self):
        archive = FakeArchive([("raspi-firmware", "1.20220830+ds-1")])
        entry = ds.Entry("rpi-firmware", "raspi-firmware", "1.20220830+ds", "1",
                         "deb:usr/lib/other=boot")
        with self.assertRaises(ds.SourceError) as caught:
            ds.stage_package(archive, Path(self.tmp.name), entry, self.cache, self.dl,
                             self.work)
        self.assertIn("has no usr/lib/other", str(caught.exception))

    def test_deb_layout_rejects_paths_outside(self):
        with self.assertRaises(ds.SourceError):
            ds.deb_layout("deb:usr/lib/x=../boot")
        with self.assertRaises(ds.SourceError):
            ds.deb_layout("deb:usr/lib/x")
        self.assertIsNone(ds.deb_layout("autoreconf"))

    def test_same_release_for_two_pins_keeps_one_tarball(self):
        self.stage(FakeArchive([("linux", "6.12.107-1")]))
        self.stage(FakeArchive([("linux-6.12", "6.12.107-1~deb12u1")]), pin="6.12.100")
        hashes = (self.cache / "offline" / "linux.hash").read_text().splitlines()[1:]
        self.assertEqual(len({h.split()[2] for h in hashes}), 1)
        self.assertEqual(len({h.split()[1] for h in hashes}), 1)


class Patches(unittest.TestCase):
    """The kernel patches against a release, as Buildroot applies them."""

    PATCH = ("--- a/rust/kernel/lib.rs\n+++ b/rust/kernel/lib.rs\n"
             "@@ -1,3 +1,4 @@\n one\n two\n+added\n three\n")

    def check(self, lib_rs):
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp)
            src = root / "linux-6.12.99" / "rust" / "kernel"
            src.mkdir(parents=True)
            (src / "lib.rs").write_text(lib_rs)
            tarball = root / "linux.tar.xz"
            subprocess.run(["tar", "-cJf", str(tarball), "-C", str(root), "linux-6.12.99"],
                           check=True)
            patches = root / "patches"
            patches.mkdir()
            (patches / "0001-add.patch").write_text(self.PATCH)
            work = root / "work"
            work.mkdir()
            return ds.patches_apply(tarball, patches, work)

    def test_applies(self):
        self.assertIsNone(self.check("one\ntwo\nthree\n"))

    def test_context_moved_on_is_a_failure_not_fuzz(self):
        failure = self.check("one\nTWO\nthree\n")
        self.assertIn("0001-add.patch does not apply", failure)


class KernelArchive(FakeArchive):
    """A fake archive whose kernel origs are real tarballs: one file,
    rust/kernel/lib.rs, whose text depends on the series, so that a patch
    made for one series does not apply to the other."""

    LIB_RS = {"6.12": "one\ntwo\nthree\n", "6.18": "one\nTWO\nthree\n"}

    def fetch(self, candidate, directory, binary=False):
        self.tried.append((candidate.source, candidate.version))
        if (candidate.source, candidate.version) not in self.downloadable:
            return None
        upstream = candidate.upstream
        root = Path(directory) / f"tree-{upstream}"
        src = root / f"linux-{upstream}" / "rust" / "kernel"
        src.mkdir(parents=True)
        (src / "lib.rs").write_text(self.LIB_RS[ds.kernel_series(upstream)])
        path = Path(directory) / f"linux_{upstream}.orig.tar.xz"
        subprocess.run(["tar", "-cJf", str(path), "-C", str(root), f"linux-{upstream}"],
                       check=True)
        return ds.Fetched(candidate, path, ds.sha256sum(path), f"http://fake/{path.name}")


class Check(unittest.TestCase):
    """`debian_sources.py check`: each kernel pin gets its series' patches."""

    INDEX = [("linux", "6.12.96-1"), ("linux", "6.12.107-1"),
             ("linux", "6.18.15-1~bpo13+1")]

    def run_check(self, patches):
        """patches: {series: text of its one patch, or None for none}."""
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp)
            patch_root = root / "linux"
            for series, text in patches.items():
                (patch_root / series).mkdir(parents=True)
                if text:
                    (patch_root / series / "0001-add.patch").write_text(text)
            configs = []
            for name, pin in (("a_defconfig", "6.18.15"), ("b_defconfig", "6.12.96")):
                (root / name).write_text(
                    f'BR2_LINUX_KERNEL_CUSTOM_VERSION_VALUE="{pin}"\n')
                configs.append(str(root / name))
            (root / "sources.txt").write_text("# nothing but the kernel\n")
            args = argparse.Namespace(update=False, buildroot=str(root),
                                      list=str(root / "sources.txt"),
                                      patch_root=str(patch_root), configs=configs)
            out = io.StringIO()
            with contextlib.redirect_stdout(out):
                status = ds.cmd_check(args, KernelArchive(self.INDEX))
            return status, out.getvalue().replace(str(patch_root), "ROOT")

    def test_each_series_its_patches_pinned_and_newest(self):
        status, out = self.run_check({"6.12": Patches.PATCH,
                                      "6.18": Patches.PATCH.replace("two", "TWO")})
        self.assertEqual(status, 0, out)
        self.assertIn("ok 2 - linux 6.12.96: the patches of ROOT/6.12 apply\n", out)
        self.assertIn("ok 3 - linux 6.12.107 (newest 6.12.y, the fallback):"
                      " the patches of ROOT/6.12 apply\n", out)
        self.assertIn("ok 5 - linux 6.18.15: the patches of ROOT/6.18 apply\n", out)
        self.assertIn("ok 6 - linux 6.18: # SKIP no release above 6.18.15", out)
        self.assertIn("1..6\n", out)

    def test_patches_of_another_series_fail(self):
        status, out = self.run_check({"6.12": Patches.PATCH, "6.18": Patches.PATCH})
        self.assertEqual(status, 1)
        self.assertIn("not ok 5 - linux 6.18.15: the patches of ROOT/6.18 apply:"
                      " 0001-add.patch does not apply", out)

    def test_a_series_without_patches_fails(self):
        status, out = self.run_check({"6.12": Patches.PATCH, "6.18": None})
        self.assertEqual(status, 1)
        self.assertIn("not ok 5 - linux 6.18.15: no patches in ROOT/6.18\n", out)
        self.assertIn("ok 2 - linux 6.12.96: the patches of ROOT/6.12 apply\n", out)

    def test_a_series_without_a_directory_fails(self):
        status, out = self.run_check({"6.12": Patches.PATCH})
        self.assertEqual(status, 1)
        self.assertIn("not ok 5 - linux 6.18.15: no patches in ROOT/6.18\n", out)


class CommandLine(unittest.TestCase):
    """`debian_sources.py select` on an index file, as a user would run it."""

    def run_select(self, pairs):
        with tempfile.NamedTemporaryFile("w", suffix=".txt") as index:
            index.write(showsrc(*pairs))
            index.flush()
            return ds.main(["select", "--index", index.name, "--source", "linux",
                            "--version", "6.12.96", "--series", "6.12"])

    def test_moved_on(self):
        self.assertEqual(self.run_select([("linux", "6.12.118-1")]), 0)

    def test_series_gone(self):
        self.assertEqual(self.run_select([("linux", "6.18.15-1~bpo13+1")]), 1)


if __name__ == "__main__":
    unittest.main(verbosity=2)
