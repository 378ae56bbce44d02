#!/usr/bin/env bash
# make container: build the coopmap image offline and run the demo workflow inside it.
#   1. a Debian bookworm base image from debootstrap (deb.debian.org is the only registry
#      needed; cached as build/container/bookworm.tar), imported into podman;
#   2. podman build of containers/Containerfile on that base (multi-stage);
#   3. the embedded demo inside the image as its non-root user, outputs in a bind-mounted
#      folder (build/container/demo/), scored against the planted truth.
# Where podman cannot run a container at all, step 3 runs the Containerfile's steps in a
# chroot of the same base instead (containers/chroot-build.sh; COOPMAP_CONTAINER_MODE=chroot
# forces it).  Ends with "container: PASS ..." or "container: FAIL ..." (exit 1).  As root it installs
# podman, runc and debootstrap when missing.  Environment: COOPMAP_IMAGE (coopmap:0.1.0),
# COOPMAP_CONTAINER_DIR (build/container).
set -euo pipefail
cd "$(dirname "$0")/.."
IMAGE=${COOPMAP_IMAGE:-localhost/coopmap:0.1.0}
DIR=${COOPMAP_CONTAINER_DIR:-build/container}
BASE=localhost/coopmap-base:bookworm
mkdir -p "$DIR"
DIR=$(cd "$DIR" && pwd)
fail() { echo "container: FAIL: $*" >&2; exit 1; }

need=()
for p in podman runc debootstrap; do command -v "$p" > /dev/null || need+=("$p"); done
if [ ${#need[@]} -gt 0 ]; then
    [ "$(id -u)" -eq 0 ] || fail "missing ${need[*]} (sudo apt-get install -y podman runc debootstrap)"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq podman runc debootstrap >&2
fi
export CONTAINERS_CONF="$PWD/containers/containers.conf"
PODMAN=(podman --storage-driver "${COOPMAP_STORAGE_DRIVER:-vfs}")

t0=$(date +%s)
if ! "${PODMAN[@]}" image exists "$BASE"; then
    if [ ! -s "$DIR/bookworm.tar" ]; then
        echo "container: debootstrap bookworm (minbase) ..." >&2
        rm -rf "$DIR/rootfs"
        debootstrap --variant=minbase bookworm "$DIR/rootfs" http://deb.debian.org/debian \
            > "$DIR/debootstrap.log" 2>&1 || { tail -20 "$DIR/debootstrap.log" >&2; fail "debootstrap"; }
        tar -C "$DIR/rootfs" -cf "$DIR/bookworm.tar.tmp" . && mv "$DIR/bookworm.tar.tmp" "$DIR/bookworm.tar"
        rm -rf "$DIR/rootfs"
    fi
    "${PODMAN[@]}" import "$DIR/bookworm.tar" "$BASE" > /dev/null || fail "podman import"
fi
t1=$(date +%s)

# Can podman run a container here at all?  If not (some sandboxes forbid it), the recipe's
# steps are run in a chroot of the same bookworm base instead (chroot_build below).
if [ "${COOPMAP_CONTAINER_MODE:-}" = chroot ]; then
    echo "forced by COOPMAP_CONTAINER_MODE=chroot" > "$DIR/podman-probe.log"
    exec bash containers/chroot-build.sh "$DIR" "not used (COOPMAP_CONTAINER_MODE=chroot)"
fi
if ! "${PODMAN[@]}" run --rm --network none "$BASE" true > "$DIR/podman-probe.log" 2>&1; then
    echo "container: podman cannot run a container here: $(tr '\n' ' ' < "$DIR/podman-probe.log")" >&2
    echo "container: running the Containerfile's steps in a debootstrap'd chroot instead" >&2
    exec bash containers/chroot-build.sh "$DIR" "$(tr '\n' ' ' < "$DIR/podman-probe.log")"
fi

# vfs storage keeps a full copy of the root file system per layer: a cached build with one
# layer per step took ~20 GB (and filled a CI disk), so no intermediate layers are kept
# (--layers=false: one layer per stage), the build stage and any earlier image of this tag
# are pruned afterwards, and the build refuses to start with under 8 GB free.
store=$("${PODMAN[@]}" info --format '{{.Store.GraphRoot}}' 2> /dev/null || echo /var/lib/containers)
mkdir -p "$store"
free_kb=$(df -Pk "$store" | awk 'NR == 2 {print $4}')
[ "$free_kb" -ge 8000000 ] || fail "only $((free_kb / 1024)) MB free under $store; the build needs 8 GB (podman system prune -a frees old images)"
echo "container: podman build $IMAGE (base $BASE) ..." >&2
"${PODMAN[@]}" build --layers=false --network host --build-arg BASE="$BASE" -t "$IMAGE" \
    -f containers/Containerfile . > "$DIR/build.log" 2>&1 ||
    { tail -30 "$DIR/build.log" >&2; "${PODMAN[@]}" image prune -f > /dev/null 2>&1 || true;
      fail "podman build (log: $DIR/build.log)"; }
"${PODMAN[@]}" image prune -f > /dev/null 2>&1 || true
t2=$(date +%s)

# the demo, inside, as the image's user (uid 1000) in a bind-mounted folder
rm -rf "$DIR/demo" && mkdir -p "$DIR/demo" && chmod 0777 "$DIR/demo"
"${PODMAN[@]}" run --rm --network none -v "$DIR/demo:/data" "$IMAGE" bash -c "$(cat containers/demo.sh)" \
    > "$DIR/demo.out" 2>&1 || { cat "$DIR/demo.out" >&2; fail "the demo inside the image"; }
t3=$(date +%s)
grep -q '^precision 1.000 recall 1.000' "$DIR/demo.out" || { cat "$DIR/demo.out" >&2; fail "planted truth not recovered"; }
user=$(tail -1 "$DIR/demo.out")
echo "container: PASS $IMAGE: base $((t1 - t0)) s, build $((t2 - t1)) s, demo $((t3 - t2)) s as user '$user': $(grep '^precision' "$DIR/demo.out")"
