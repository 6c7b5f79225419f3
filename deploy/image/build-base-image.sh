#!/usr/bin/env bash
# Builds the container base image (Debian bookworm, minimal, with OpenJDK 17 JRE headless) as a
# Docker-format tar that Jib reads with `tar://`, for machines that reach Debian's mirror but no
# container registry and run no Docker daemon. Where a registry is reachable, skip this and build
# with -Dimage.base=eclipse-temurin:17-jre (or your organisation's Java 17 base) instead.
#
#   sudo deploy/image/build-base-image.sh [out.tar]     (default: target/image/base-jre17.tar)
#
# Needs root (debootstrap) and Debian's debootstrap, umoci and skopeo packages.
set -euo pipefail
cd "$(dirname "$0")/../.."
out="${1:-target/image/base-jre17.tar}"
mirror="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$(dirname "$out")"

debootstrap --variant=minbase --include=openjdk-17-jre-headless,ca-certificates \
  bookworm "$work/rootfs" "$mirror" > "$work/debootstrap.log" 2>&1 \
  || { tail -20 "$work/debootstrap.log"; exit 1; }
# Package caches are not part of an image; the user that runs the application is.
rm -rf "$work"/rootfs/var/cache/apt/archives/*.deb "$work"/rootfs/var/lib/apt/lists/*
chroot "$work/rootfs" useradd --uid 10001 --no-create-home --home-dir /app --shell /usr/sbin/nologin graphsec
# The state and the embedded broker's journal live under /app/data (a volume in Kubernetes).
mkdir -p "$work/rootfs/app/data" && chown 10001:10001 "$work/rootfs/app/data"

umoci init --layout "$work/oci"
umoci new --image "$work/oci:base"
umoci unpack --image "$work/oci:base" "$work/bundle" > /dev/null
rm -rf "$work/bundle/rootfs"
mv "$work/rootfs" "$work/bundle/rootfs"
umoci repack --image "$work/oci:base" "$work/bundle"
umoci config --image "$work/oci:base" --os linux --architecture amd64 \
  --config.env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
  --config.env JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64
rm -f "$out"
skopeo copy --quiet "oci:$work/oci:base" "docker-archive:$out:graph-security-routes-base:17"
echo "base image written to $out"
