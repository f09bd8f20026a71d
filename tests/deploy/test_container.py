#!/usr/bin/env python3
"""The container image (deploy/Containerfile), as `make image` builds it: the build tree's .deb on
a Debian 12 base, run with podman and checked from the host through a loopback-published port —
the demo feed in three formats, a 304 on its ETag, /healthz and the health check, a non-root
process, plain log lines, SIGHUP reload, the store surviving a restart and a new container on the
same volume, and a clean stop within 10 s.

No registry is needed: the base is made from Debian's packages (deploy/container/debian-base.sh,
mmdebstrap) and kept as localhost/feedgate-base:bookworm, so only the first run on a machine
pays for it. The build's apt reaches the Debian mirror; nothing else leaves the machine."""
import hashlib
import json
import os
import pathlib
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.error
import urllib.request

REPO = pathlib.Path(__file__).resolve().parents[2]
BUILD = pathlib.Path(os.environ.get("FG_BUILD_DIR", REPO / "build"))
BASE = "localhost/feedgate-base:bookworm"
# One tag per checkout: checkouts testing at the same time do not run each other's image; the
# layers they share (the base, the libraries) are shared by content anyway.
IMAGE = "localhost/feedgate:test-" + hashlib.sha1(str(REPO).encode()).hexdigest()[:8]
NAME = f"feedgate-test-{os.getpid()}"
VOLUME = f"feedgate-test-{os.getpid()}"
# What this Debian 12 host needs to run containers as root (see issue 16): runc, and rlimits the
# runtime can set.
RUN_FLAGS = ["--runtime", "runc", "--ulimit", "nofile=1024:1024", "--ulimit", "nproc=1024:1024"]


def skip_reason():
    missing = [tool for tool in ("podman", "runc", "mmdebstrap", "cpack", "dpkg-deb")
               if not shutil.which(tool)]
    if missing:
        return f"{', '.join(missing)} missing (deploy/install-deps.sh --with-tests installs them)"
    if os.geteuid() != 0:
        return "the container test runs podman as root"
    r = subprocess.run(["podman", "info", "--format", "{{.Host.OCIRuntime.Name}}"],
                       capture_output=True, text=True, timeout=60)
    if r.returncode != 0:
        return "podman cannot run here: " + (r.stderr.strip().splitlines() or ["?"])[-1]
    return None


REASON = skip_reason()
if REASON:
    print("SKIPPED: " + REASON)
    sys.exit(77)


def podman(*args, check=True, timeout=120):
    r = subprocess.run(["podman", *args], capture_output=True, text=True, timeout=timeout)
    if check and r.returncode != 0:
        raise AssertionError(f"podman {' '.join(args)}: {r.returncode}\n{r.stdout}{r.stderr}")
    return r


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url, headers=None):
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as reply:
            return reply.status, dict(reply.headers), reply.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()


class Container(unittest.TestCase):
    timings = {}

    @classmethod
    def setUpClass(cls):
        cls.tmp = pathlib.Path(tempfile.mkdtemp(prefix="feedgate-container-"))
        cls.port = free_port()
        cls.url = f"http://127.0.0.1:{cls.port}"
        started = time.monotonic()
        subprocess.run([str(REPO / "deploy/container/debian-base.sh"), "podman", BASE],
                       check=True, timeout=900)
        cls.timings["base"] = time.monotonic() - started

        started = time.monotonic()
        r = subprocess.run(["cpack", "-G", "DEB", "--config", str(BUILD / "CPackConfig.cmake"),
                            "-B", str(cls.tmp)], capture_output=True, text=True, timeout=300)
        assert r.returncode == 0, r.stdout + r.stderr
        deb = next(cls.tmp.glob("feedgate_*.deb"))
        previous = podman("image", "inspect", "--format", "{{.Id}}", IMAGE, check=False).stdout
        r = subprocess.run([str(REPO / "deploy/container/build-image.sh"), str(deb), IMAGE],
                           capture_output=True, text=True, timeout=600,
                           env=dict(os.environ, BASE=BASE, CONTAINER_RUNTIME="podman"))
        assert r.returncode == 0, r.stdout + r.stderr
        cls.timings["build"] = time.monotonic() - started
        # The image stays between runs as the build cache (its dependency layer above all); the
        # one it replaces goes.
        if previous.strip() and previous.strip() != podman("image", "inspect", "--format",
                                                            "{{.Id}}", IMAGE).stdout.strip():
            podman("rmi", previous.strip(), check=False)
        cls.size = int(podman("image", "inspect", "--format", "{{.Size}}", IMAGE).stdout)

        started = time.monotonic()
        podman("volume", "create", VOLUME)
        cls.run_container()
        cls.timings["start"] = time.monotonic() - started
        cls.checks_started = time.monotonic()

    @classmethod
    def run_container(cls):
        podman("run", "-d", "--name", NAME, *RUN_FLAGS, "-p", f"127.0.0.1:{cls.port}:8080",
               "-v", f"{VOLUME}:/var/lib/feedgate", IMAGE)
        cls.wait_healthy()

    @classmethod
    def wait_healthy(cls):
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if get(cls.url + "/healthz")[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise AssertionError("no /healthz within 30 s:\n" + podman("logs", NAME).stderr)

    @classmethod
    def tearDownClass(cls):
        podman("rm", "-f", "-t", "0", NAME, check=False)
        podman("volume", "rm", "-f", VOLUME, check=False)
        shutil.rmtree(cls.tmp, ignore_errors=True)
        print("\ntimings: " + ", ".join(f"{k} {v:.1f} s" for k, v in cls.timings.items()) +
              f"; image {cls.size / 1e6:.1f} MB" if hasattr(cls, "size") else "", flush=True)

    def logs(self):
        r = podman("logs", NAME)
        return r.stdout + r.stderr

    def wait_log(self, pattern, count=1, timeout=30):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = re.findall(pattern, self.logs(), re.M)
            if len(found) >= count:
                return found
            time.sleep(0.2)
        self.fail(f"no {count}× {pattern!r} in the log:\n{self.logs()}")

    def items(self):
        status, _, body = get(self.url + "/feeds/demo.json")
        self.assertEqual(status, 200)
        return sorted(item["id"] for item in json.loads(body)["items"])

    def stop_cleanly(self):
        started = time.monotonic()
        podman("stop", "-t", "10", NAME, timeout=30)
        took = time.monotonic() - started
        self.assertLess(took, 10)
        self.assertEqual(podman("inspect", "--format", "{{.State.ExitCode}}", NAME).stdout.strip(),
                         "0", self.logs())
        self.assertRegex(self.logs(), r"(?m)^stopped$")
        return took

    def test_the_image_end_to_end(self):
        # Built as configured: the image's metadata and size.
        image = json.loads(podman("image", "inspect", IMAGE).stdout)[0]
        config = image["Config"]
        self.assertEqual(config["User"], "feedgate:feedgate")
        self.assertEqual(config["StopSignal"], "SIGTERM")
        self.assertIn("/var/lib/feedgate", config["Volumes"])
        self.assertIn("/healthz", " ".join(image["Healthcheck"]["Test"]))
        self.assertLess(self.size, 120_000_000)
        compilers = podman("run", "--rm", *RUN_FLAGS, "--entrypoint", "sh", IMAGE, "-c",
                           "command -v g++ gcc cc c++ cpp || true").stdout.strip()
        self.assertEqual(compilers, "", "a compiler in the final image")

        # The demo feed, polled once at start, in three formats, with conditional requests.
        self.wait_log(r"^poll feed=demo .*new=\d+", 1)
        for suffix, kind in ((".atom", "atom"), (".rss", "rss"), (".json", "json")):
            status, headers, body = get(self.url + "/feeds/demo" + suffix)
            self.assertEqual(status, 200, suffix)
            self.assertIn(kind, headers["Content-Type"])
            self.assertIn("演示网".encode(), body)
            status, _, _ = get(self.url + "/feeds/demo" + suffix, {"If-None-Match": headers["ETag"]})
            self.assertEqual(status, 304, suffix)
        items = self.items()
        self.assertGreater(len(items), 0)
        self.assertEqual(get(self.url + "/healthz")[0], 200)
        self.assertEqual(podman("healthcheck", "run", NAME).returncode, 0)

        # Not root, and plain log lines (no journald <N> prefixes) on the container's stream.
        self.assertEqual(podman("exec", NAME, "id", "-un").stdout.strip(), "feedgate")
        self.assertNotEqual(podman("exec", NAME, "id", "-u").stdout.strip(), "0")
        self.assertEqual(podman("top", NAME, "user").stdout.split()[1:], ["feedgate"])
        self.assertRegex(self.logs(), r"(?m)^listening url=")
        self.assertNotRegex(self.logs(), r"(?m)^<\d>")

        # SIGHUP reloads the config and the feed stays served.
        podman("kill", "--signal", "HUP", NAME)
        self.wait_log(r"^reloaded config=")
        self.assertEqual(get(self.url + "/feeds/demo.atom")[0], 200)
        self.timings["checks"] = time.monotonic() - self.checks_started

        # The store survives a restart: the items are there and the next poll finds none new.
        started = time.monotonic()
        podman("restart", "-t", "10", NAME, timeout=60)
        self.wait_healthy()
        self.timings["restart"] = time.monotonic() - started
        self.wait_log(r"^poll feed=demo .*new=0\b")
        self.assertEqual(self.items(), items)

        # ... and a new container on the same volume.
        self.timings["stop"] = self.stop_cleanly()
        podman("rm", NAME)
        type(self).run_container()
        self.wait_log(r"^poll feed=demo .*new=0\b")
        self.assertEqual(self.items(), items)
        self.stop_cleanly()


if __name__ == "__main__":
    unittest.main(verbosity=2)
