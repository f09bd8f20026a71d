#!/usr/bin/env python3
"""The systemd units in deploy/: `systemd-analyze verify` accepts them and the service's
`systemd-analyze security --offline=yes` exposure is 2.0 or lower (printed)."""
import os
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile
import unittest

REPO = pathlib.Path(__file__).resolve().parents[2]
BINARY = os.environ.get("FEEDGATE_BIN", str(REPO / "build" / "feedgate"))
ANALYZE = shutil.which("systemd-analyze")
UNITS = ["feedgate.service", "feedgate.socket"]

if ANALYZE is None:
    print("SKIPPED: systemd-analyze is missing (Debian package systemd; "
          "deploy/install-deps.sh --with-tests installs it)")
    sys.exit(77)


class Units(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        # The units name /usr/bin/feedgate; verify checks that ExecStart= exists, so a copy points
        # at the binary just built. Nothing else is changed.
        cls.tmp = pathlib.Path(tempfile.mkdtemp(prefix="feedgate-units-"))
        for name in UNITS:
            text = (REPO / "deploy" / name).read_text()
            (cls.tmp / name).write_text(text.replace("/usr/bin/feedgate", BINARY))

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def test_verify_passes(self):
        # --man=no: the man pages are checked by the packaging test, in the installed tree.
        r = subprocess.run([ANALYZE, "verify", "--man=no", *[str(self.tmp / n) for n in UNITS]],
                           capture_output=True, text=True, timeout=60)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertEqual(r.stderr.strip(), "", r.stderr)

    def test_security_exposure_is_ok(self):
        r = subprocess.run([ANALYZE, "security", "--offline=yes", "--no-pager",
                            str(self.tmp / "feedgate.service")],
                           capture_output=True, text=True, timeout=60)
        match = re.search(r"Overall exposure level for feedgate\.service: (\d+\.\d+) (\S+)", r.stdout)
        self.assertIsNotNone(match, r.stdout + r.stderr)
        print(f"\nsystemd-analyze security --offline=yes feedgate.service: {match.group(1)} "
              f"{match.group(2)}", flush=True)
        self.assertLessEqual(float(match.group(1)), 2.0, r.stdout)

    def test_service_has_what_the_issue_asks(self):
        text = (REPO / "deploy" / "feedgate.service").read_text()
        for line in ["Type=notify", "ExecReload=/bin/kill -HUP $MAINPID", "Restart=on-failure",
                     "DynamicUser=yes", "StateDirectory=feedgate", "ConfigurationDirectory=feedgate",
                     "ProtectSystem=strict", "ProtectHome=yes", "PrivateTmp=yes",
                     "PrivateDevices=yes", "NoNewPrivileges=yes",
                     "RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX",
                     "SystemCallFilter=@system-service", "CapabilityBoundingSet=",
                     "MemoryDenyWriteExecute=yes", "LockPersonality=yes", "SyslogLevelPrefix=yes"]:
            self.assertIn("\n" + line + "\n", text)
        self.assertRegex(text, r"\nWatchdogSec=\d+s\n")


if __name__ == "__main__":
    unittest.main(verbosity=2)
