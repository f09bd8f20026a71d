#!/usr/bin/env bash
# Installs the Debian 12 packages feedgate needs to build, test and run.
# Idempotent: does nothing when everything is present; runs `apt-get update` only when something is missing.
set -euo pipefail

build_deps=(
  g++ cmake ninja-build make pkg-config ccache
  libboost1.81-dev libcurl4-openssl-dev libpugixml-dev libyaml-cpp-dev libgumbo-dev
  libsqlite3-dev zlib1g-dev libbrotli-dev libuchardet-dev libhowardhinnant-date-dev nlohmann-json3-dev
  libre2-dev libopencc-dev libopencc-data
  tzdata ca-certificates libsystemd-dev python3
  libpq-dev libssl-dev
)
# Runtime libraries of the .deb (its Depends), listed so that `make deb` can be checked here.
runtime_deps=(libcurl4 libpugixml1v5 libyaml-cpp0.7 libgumbo1 libsqlite3-0 zlib1g libuchardet0 libsystemd0 libbrotli1 libpq5
  libre2-9 libopencc1.1 libopencc-data libssl3)
test_deps=(
  libgtest-dev python3 python3-feedparser python3-html5lib newsboat curl clang-format
  systemd python3-jsonschema python3-yaml dpkg-dev
  # Headless status-page test: ~290 MB, about 3 minutes to install once; the test itself takes
  # seconds. fonts-noto-cjk renders the portals' Chinese titles in the screenshot.
  chromium fonts-noto-cjk
  # The package test checks the .deb against Debian policy.
  lintian
  # The container test (tests/deploy/test_container.py): podman as root with runc, buildah for
  # the build, mmdebstrap to make the Debian base image without a registry.
  podman buildah runc mmdebstrap
  # The PostgreSQL store's tests start a throwaway server of their own (tests/support/pg_test_server.sh).
  postgresql-15
)
# Optional: the serving benchmark (tests/bench/serve) compares against nginx, driven by wrk; the
# extraction benchmark (tests/bench/extract) uses libxml2's HTML parser as a baseline.
bench_deps=(
  wrk nginx-light libxml2-dev
)

# `make fuzz`: clang with libFuzzer and the sanitizer runtimes; llvm for symbolized reports.
fuzz_deps=(
  clang libclang-rt-14-dev llvm
)

wanted=("${build_deps[@]}" "${runtime_deps[@]}")
for arg in "$@"; do
  [[ "$arg" == "--with-tests" ]] && wanted+=("${test_deps[@]}")
  [[ "$arg" == "--with-bench" ]] && wanted+=("${bench_deps[@]}")
  [[ "$arg" == "--with-fuzz" ]] && wanted+=("${fuzz_deps[@]}")
done

missing=()
for pkg in "${wanted[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$pkg")
done

if ((${#missing[@]} == 0)); then
  exit 0
fi

if [[ $(id -u) -ne 0 ]]; then
  echo "install-deps: missing packages: ${missing[*]}" >&2
  echo "install-deps: run as root (or: sudo apt-get install ${missing[*]})" >&2
  exit 1
fi

echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"
