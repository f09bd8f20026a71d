#!/usr/bin/env python3
"""The .deb: cpack builds it from the build tree, `dpkg -x` unpacks it into a scratch root, and
the layout, the Depends, the man pages and `feedgate --version` are checked there; lintian checks
it against Debian policy."""
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile
import unittest

REPO = pathlib.Path(__file__).resolve().parents[2]
BUILD = pathlib.Path(os.environ.get("FG_BUILD_DIR", REPO / "build"))
MISSING = [tool for tool in ("cpack", "dpkg-deb", "dpkg-shlibdeps", "man", "lintian")
           if not shutil.which(tool)]
if MISSING:
    print(f"SKIPPED: {', '.join(MISSING)} missing (Debian cmake, dpkg-dev, man-db, lintian; "
          "deploy/install-deps.sh --with-tests)")
    sys.exit(77)

EXPECTED_FILES = [
    "usr/bin/feedgate",
    "usr/lib/systemd/system/feedgate.service",
    "usr/lib/systemd/system/feedgate.socket",
    "usr/lib/sysusers.d/feedgate.conf",
    "etc/feedgate/feedgate.yaml",
    "usr/share/doc/feedgate/feedgate.yaml.example",
    "usr/share/feedgate/feedgate.schema.json",
    "usr/share/feedgate/feeds/demo/recipe.yaml",
    "usr/share/feedgate/feeds/demo/site/index.html",
    "usr/share/man/man1/feedgate.1.gz",
    "usr/share/man/man5/feedgate.yaml.5.gz",
    "usr/share/doc/feedgate/copyright",
    "usr/share/doc/feedgate/changelog.gz",
    "usr/share/lintian/overrides/feedgate",
]


class Package(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = pathlib.Path(tempfile.mkdtemp(prefix="feedgate-deb-"))
        r = subprocess.run(["cpack", "-G", "DEB", "--config", str(BUILD / "CPackConfig.cmake"),
                            "-B", str(cls.tmp / "out")], capture_output=True, text=True, timeout=300)
        assert r.returncode == 0, r.stdout + r.stderr
        debs = list((cls.tmp / "out").glob("feedgate_*.deb"))
        assert len(debs) == 1, r.stdout
        cls.deb = debs[0]
        cls.root = cls.tmp / "root"
        subprocess.run(["dpkg-deb", "-x", str(cls.deb), str(cls.root)], check=True)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def field(self, name):
        return subprocess.run(["dpkg-deb", "-f", str(self.deb), name], capture_output=True,
                              text=True, check=True).stdout.strip()

    def test_file_list(self):
        listing = subprocess.run(["dpkg-deb", "-c", str(self.deb)], capture_output=True,
                                 text=True, check=True).stdout
        for path in EXPECTED_FILES:
            self.assertIn(" ./" + path + "\n", listing)
            self.assertTrue((self.root / path).is_file(), path)
        self.assertNotIn("make_site.py", listing)

    def test_control_fields(self):
        self.assertEqual(self.field("Package"), "feedgate")
        depends = self.field("Depends")
        for library in ("libcurl4", "libsqlite3-0", "libyaml-cpp0.7", "libgumbo1", "libuchardet0",
                        "libpugixml1v5", "libsystemd0", "libpq5", "tzdata", "ca-certificates"):
            self.assertIn(library, depends)
        conffiles = subprocess.run(["dpkg-deb", "-I", str(self.deb), "conffiles"],
                                   capture_output=True, text=True).stdout
        self.assertEqual(conffiles.strip(), "/etc/feedgate/feedgate.yaml")

    def test_binary_runs_from_the_scratch_root(self):
        r = subprocess.run([str(self.root / "usr/bin/feedgate"), "--version"], capture_output=True,
                           text=True, timeout=30)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertRegex(r.stdout, r"^feedgate \d+\.\d+\.\d+\n$")

    def test_packaged_config_checks_with_packaged_recipes(self):
        env = dict(os.environ, FEEDGATE_RECIPES=str(self.root / "usr/share/feedgate/feeds"))
        r = subprocess.run([str(self.root / "usr/bin/feedgate"), "check", "-c",
                            str(self.root / "etc/feedgate/feedgate.yaml")],
                           capture_output=True, text=True, timeout=30, env=env)
        self.assertEqual(r.returncode, 0, r.stderr)

    def test_man_pages_render_without_warnings(self):
        for page, heading in [("man1/feedgate.1.gz", "FEEDGATE(1)"),
                              ("man5/feedgate.yaml.5.gz", "FEEDGATE.YAML(5)")]:
            with self.subTest(page=page):
                r = subprocess.run(["man", "--warnings", "-l",
                                    str(self.root / "usr/share/man" / page)],
                                   capture_output=True, text=True, timeout=30,
                                   env=dict(os.environ, MANPAGER="cat", LC_ALL="C.UTF-8"))
                self.assertEqual(r.returncode, 0, r.stderr)
                self.assertEqual(r.stderr, "")
                self.assertTrue(r.stdout.startswith(heading), r.stdout[:200])
                self.assertIn("SEE ALSO", r.stdout)

    def test_binary_is_stripped(self):
        r = subprocess.run(["readelf", "-S", "-W", str(self.root / "usr/bin/feedgate")],
                           capture_output=True, text=True, check=True)
        self.assertNotIn(".debug_", r.stdout)
        self.assertNotIn(".symtab", r.stdout)

    def test_changelog_names_the_package_version(self):
        version = self.field("Version")
        r = subprocess.run(["dpkg-parsechangelog", "-l", str(REPO / "deploy/debian/changelog"),
                            "-S", "Version"], capture_output=True, text=True, check=True)
        self.assertEqual(r.stdout.strip(), version, "add an entry to deploy/debian/changelog")

    def test_lintian_reports_no_error_or_warning(self):
        # Errors and warnings fail; what remains is overridden in deploy/debian/lintian-overrides
        # with its reason. Info tags (hardening flags, the demo's HTML pages) are not checked.
        r = subprocess.run(["lintian", "--fail-on", "error,warning", str(self.deb)],
                           capture_output=True, text=True, timeout=240)
        tags = [line for line in r.stdout.splitlines() if line[:2] in ("E:", "W:")]
        self.assertEqual(tags, [])
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)


if __name__ == "__main__":
    unittest.main(verbosity=2)
