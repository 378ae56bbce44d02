#!/usr/bin/env bash
# The fallback of containers/build.sh where podman cannot run a container: the
# Containerfile's steps in a chroot of the same debootstrap'd bookworm base — install both
# stages' apt-get packages (read from containers/Containerfile), build and install the
# tools with the Makefile, lay out /opt/coopmap as the image does, add the user coopmap and
# run containers/demo.sh as that user.  (One chroot for both stages: the runtime stage's
# separation is checked statically by tests/container.bats.)
#   containers/chroot-build.sh DIR [REASON]     (the base: DIR/bookworm.tar, made when missing; needs root)
set -euo pipefail
cd "$(dirname "$0")/.."
DIR=$1 REASON=${2:-forced}
R="$DIR/chroot"
fail() { echo "container: FAIL (chroot): $*" >&2; exit 1; }
[ "$(id -u)" -eq 0 ] || fail "needs root"
# stage N's apt-get install packages of the Containerfile
packages() {
    awk -v n="$1" '/^FROM /{s++} s == n' containers/Containerfile |
        awk '{ if (sub(/\\$/, "")) { printf "%s ", $0 } else print }' |
        grep -o 'apt-get install -y --no-install-recommends [^&]*' | cut -d' ' -f5-
}
cleanup() { umount "$R/dev" 2> /dev/null || true; umount "$R/proc" 2> /dev/null || true; }
trap cleanup EXIT
cleanup
rm -rf "$R" && mkdir -p "$R"
if [ -s "$DIR/bookworm.tar" ]; then
    tar -C "$R" -xf "$DIR/bookworm.tar"
else
    debootstrap --variant=minbase bookworm "$R" http://deb.debian.org/debian > "$DIR/debootstrap.log" 2>&1 \
        || { tail -20 "$DIR/debootstrap.log" >&2; fail "debootstrap"; }
    tar -C "$R" -cf "$DIR/bookworm.tar" .
fi
cp /etc/resolv.conf "$R/etc/resolv.conf"
mount -t proc proc "$R/proc" && mount --bind /dev "$R/dev"
t0=$(date +%s)
{
    chroot "$R" env DEBIAN_FRONTEND=noninteractive apt-get update
    # shellcheck disable=SC2046
    chroot "$R" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        $(packages 1) $(packages 2)
    mkdir -p "$R/src" && cp -r Makefile c scripts "$R/src/"
    chroot "$R" make -C /src -j"$(nproc)" all
    chroot "$R" make -C /src install PREFIX=/usr/local
    mkdir -p "$R/opt/coopmap/tests/sim"
    cp -r workflows config envs scripts "$R/opt/coopmap/"
    cp tests/sim/score.py "$R/opt/coopmap/tests/sim/"
    ln -sfn /usr/local/bin "$R/opt/coopmap/bin"
    chroot "$R" useradd --create-home --uid 1000 --shell /bin/bash coopmap
    mkdir -p "$R/data" && chown 1000:1000 "$R/data"
} > "$DIR/chroot-build.log" 2>&1 || { tail -30 "$DIR/chroot-build.log" >&2; fail "the recipe's steps (log: $DIR/chroot-build.log)"; }
t1=$(date +%s)
chroot --userspec=1000:1000 "$R" env HOME=/home/coopmap PATH=/usr/local/bin:/usr/bin:/bin \
    COOPMAP_HOME=/opt/coopmap bash -c "$(cat containers/demo.sh)" > "$DIR/demo.out" 2>&1 \
    || { cat "$DIR/demo.out" >&2; fail "the demo in the chroot"; }
t2=$(date +%s)
grep -q '^precision 1.000 recall 1.000' "$DIR/demo.out" || { cat "$DIR/demo.out" >&2; fail "planted truth not recovered"; }
rm -rf "$DIR/demo" && mkdir -p "$DIR/demo" && cp -r "$R/data/demo" "$DIR/demo/demo"
echo "container: PASS chroot (podman: $REASON): recipe $((t1 - t0)) s, demo $((t2 - t1)) s as user '$(tail -1 "$DIR/demo.out")': $(grep '^precision' "$DIR/demo.out")"
