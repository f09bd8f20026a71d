#!/usr/bin/env bash
# Makes a debian:bookworm-slim-like base image from Debian's own packages, for machines that
# reach a Debian mirror but no container registry (the test machine is one).
#   deploy/container/debian-base.sh RUNTIME TAG
# RUNTIME is podman or docker; TAG the local name to give the image. Does nothing when TAG exists.
# Like the slim image: the minbase variant (Essential packages and apt), no man pages, no docs
# beyond the copyright files, no translations, no apt lists.
set -euo pipefail

runtime=${1:?usage: debian-base.sh RUNTIME TAG}
tag=${2:?usage: debian-base.sh RUNTIME TAG}
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}

if "$runtime" image exists "$tag" 2>/dev/null || "$runtime" image inspect "$tag" >/dev/null 2>&1; then
  exit 0
fi
command -v mmdebstrap >/dev/null || {
  echo "debian-base: mmdebstrap missing (deploy/install-deps.sh --with-tests installs it)" >&2
  exit 1
}

scratch=$(mktemp -d /tmp/feedgate-base.XXXXXX)
trap 'rm -rf "$scratch"' EXIT
# merged-usr: the hook gives a merged /usr without the usrmerge package (and the perl it pulls in).
mmdebstrap --variant=minbase --quiet --format=tar \
  --hook-dir=/usr/share/mmdebstrap/hooks/merged-usr \
  --aptopt='Acquire::Languages "none"' \
  --dpkgopt='path-exclude=/usr/share/man/*' \
  --dpkgopt='path-exclude=/usr/share/info/*' \
  --dpkgopt='path-exclude=/usr/share/locale/*' \
  --dpkgopt='path-exclude=/usr/share/lintian/*' \
  --dpkgopt='path-exclude=/usr/share/doc/*' \
  --dpkgopt='path-include=/usr/share/doc/*/copyright' \
  --customize-hook='rm -rf "$1"/var/lib/apt/lists/* "$1"/var/cache/apt/*.bin "$1"/var/log/*.log "$1"/var/log/apt/*' \
  bookworm "$scratch/rootfs.tar" "$mirror"
"$runtime" import --change 'CMD ["/bin/bash"]' "$scratch/rootfs.tar" "$tag" >/dev/null
echo "debian-base: imported $tag from $mirror"
