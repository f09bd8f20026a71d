#!/usr/bin/env bash
# Builds the feedgate container image from a .deb of the project (`make image` calls it).
#   deploy/container/build-image.sh DEB [TAG]        TAG defaults to localhost/feedgate:VERSION
# Environment:
#   CONTAINER_RUNTIME  podman or docker (default: podman if installed, else docker if its daemon
#                      answers)
#   BASE               the base image (default: debian:bookworm-slim if the runtime has it; else,
#                      with mmdebstrap installed, one made from Debian's packages and kept as
#                      localhost/feedgate-base:bookworm; else debian:bookworm-slim from the registry)
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
deb=${1:?usage: build-image.sh DEB [TAG]}
[[ -f "$deb" ]] || { echo "build-image: $deb: no such package (make deb builds it)" >&2; exit 1; }
version=$(dpkg-deb -f "$deb" Version)
tag=${2:-localhost/feedgate:$version}

runtime=${CONTAINER_RUNTIME:-}
if [[ -z "$runtime" ]]; then
  if command -v podman >/dev/null; then
    runtime=podman
  elif command -v docker >/dev/null && docker info >/dev/null 2>&1; then
    runtime=docker
  else
    echo "build-image: no container runtime: install podman (deploy/install-deps.sh --with-tests)" \
         "or start docker" >&2
    exit 1
  fi
fi

has_image() { "$runtime" image inspect "$1" >/dev/null 2>&1; }
base=${BASE:-}
if [[ -z "$base" ]]; then
  if has_image debian:bookworm-slim; then
    base=debian:bookworm-slim
  elif command -v mmdebstrap >/dev/null; then
    base=localhost/feedgate-base:bookworm
    "$here/debian-base.sh" "$runtime" "$base"
  else
    base=debian:bookworm-slim
  fi
fi

# The build context: the package, its Depends and the container's config, nothing else.
context=$(mktemp -d /tmp/feedgate-image.XXXXXX)
trap 'rm -rf "$context"' EXIT
cp "$deb" "$context/feedgate.deb"
dpkg-deb -f "$deb" Depends >"$context/feedgate.depends"
cp "$here/feedgate.yaml" "$context/feedgate.yaml"

build=(build)
# docker format: the OCI image format has no HEALTHCHECK. chroot isolation: RUN steps need no
# nested container runtime, which is what works for root on a plain Debian host.
[[ "$runtime" == podman ]] && build+=(--format docker --isolation chroot)
sha256=$(sha256sum "$deb" | cut -d' ' -f1)
"$runtime" "${build[@]}" --build-arg "BASE=$base" --build-arg "FEEDGATE_DEB_SHA256=$sha256" -f "$here/../Containerfile" -t "$tag" "$context"
echo "build-image: $tag ($("$runtime" image inspect --format '{{.Size}}' "$tag") bytes, base $base)"
