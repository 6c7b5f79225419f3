#!/usr/bin/env bash
# Runs the image's own entrypoint (user, working directory, environment, java command line as Jib
# wrote them) in a chroot of the unpacked image, in the demo profile, and checks that the health
# endpoint answers UP and that alerts flow. For machines without a container runtime: it exercises
# the image's contents and configuration, not a container runtime's isolation.
#
#   sudo deploy/image/try-image.sh [image.tar]   (default: target/image/graph-security-routes-image.tar)
#
# Needs root, and Debian's umoci, skopeo and jq packages.
set -euo pipefail
cd "$(dirname "$0")/../.."
image="${1:-target/image/graph-security-routes-image.tar}"
work="$(mktemp -d)"
app=""
# unshare --fork waits for its child and ignores SIGTERM itself: stop the application, then unshare ends.
cleanup() { [ -n "$app" ] && pkill -TERM -P "$app" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

skopeo copy --quiet "docker-archive:$image" "oci:$work/oci:app"
umoci unpack --image "$work/oci:app" "$work/bundle" > /dev/null
spec="$work/bundle/config.json"
root="$work/bundle/rootfs"
cwd="$(jq -r .process.cwd "$spec")"
user="$(jq -r '"\(.process.user.uid):\(.process.user.gid)"' "$spec")"
mapfile -t env < <(jq -r '.process.env[]' "$spec")
mapfile -t args < <(jq -r '.process.args[]' "$spec")

# Mounts the way a Kubernetes ConfigMap volume lays them out (each file a link into a ..data folder
# that is itself a link), so the image is tried with its configuration as deploy/kubernetes gives it.
as_configmap() { # folder, files...
  local dir="$1"; shift
  rm -rf "$dir"; mkdir -p "$dir/..2026_01_01_00_00_00.000000001"
  cp "$@" "$dir/..2026_01_01_00_00_00.000000001/"
  ln -s ..2026_01_01_00_00_00.000000001 "$dir/..data"
  for f in "$@"; do ln -s "..data/$(basename "$f")" "$dir/$(basename "$f")"; done
}
as_configmap "$root/app/routes" routes/*.yaml
# The ConfigMap's application.properties: ports of their own here, so nothing else on this machine is hit.
cat > "$work/application.properties" <<'PROPS'
camel.main.name = graph-security-routes-image-check
camel.management.port = 19876
camel.server.port = 18089
graph.simulator.port = 19443
graph.broker.embedded.port = 16161
PROPS
as_configmap "$root/app/config" "$work/application.properties"

echo "entrypoint: ${args[*]} (user $user, cwd $cwd)"
# As deploy/kubernetes/deployment.yaml runs it: a read-only root file system with writable
# scratch volumes at /app/data and /tmp.
mkdir -p "$work/data" "$work/tmp" && chown "$user" "$work/data" && chmod 1777 "$work/tmp"
unshare --mount --pid --fork --mount-proc="$root/proc" /bin/sh -c '
  set -e; root="$1" data="$2" tmp="$3"; shift 3
  mount --bind "$root" "$root" && mount -o remount,bind,ro "$root"
  mount --bind "$data" "$root/app/data" && mount --bind "$tmp" "$root/tmp"
  mount -t proc proc "$root/proc"
  exec "$@"' sh "$root" "$work/data" "$work/tmp" \
  env -i "${env[@]}" JAVA_TOOL_OPTIONS=-Dcamel.main.profile=demo \
  chroot --userspec="$user" "$root" /bin/sh -c 'cd "$0" && exec "$@"' "$cwd" "${args[@]}" \
  > "$work/app.log" 2>&1 &
app=$!

status=""
for _ in $(seq 1 90); do
  kill -0 "$app" 2>/dev/null || break
  status="$(curl -s -m 5 http://127.0.0.1:19876/observe/health || true)"
  if grep -q '"status": *"UP"' <<<"$status" && grep -qE " [1-9][0-9]* new or updated" "$work/app.log"; then break; fi
  sleep 1
done
grep -m1 "graph-security-routes-image-check" "$work/app.log" || true
grep -m3 -i "read-only file system" "$work/app.log" || true
grep -m3 -E " [1-9][0-9]* new or updated" "$work/app.log" || true
if grep -q '"status": *"UP"' <<<"$status" && grep -qE " [1-9][0-9]* new or updated" "$work/app.log"; then
  echo "image OK: health UP, the mounted application.properties was read, alerts delivered"
else
  head -60 "$work/app.log"; echo "health: $status"; echo "image check FAILED"; exit 1
fi
