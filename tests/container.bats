#!/usr/bin/env bats
# The container recipes (containers/): static checks of the Containerfile and the Apptainer
# definition, then `make container` for real — podman builds the image offline on a
# debootstrap'd bookworm base and runs the demo inside it as the non-root user (where podman
# cannot run a container at all, the Containerfile's steps in a chroot of that base,
# containers/chroot-build.sh) — and checks of the built image.  The build needs root or a working rootless podman; it takes ~10
# minutes cold (vfs storage), less with the cached base (build/container/bookworm.tar).

load helpers

REPO="$(cd "$BATS_TEST_DIRNAME/.." && pwd)"
CF="$REPO/containers/Containerfile"
DEF="$REPO/containers/coopmap.def"
IMAGE=localhost/coopmap:0.1.0
PODMAN=(podman --storage-driver vfs)
export CONTAINERS_CONF="$REPO/containers/containers.conf"

setup_file() {
    [ -z "${COOPMAP_SANITIZE:-}" ] && { [ "$(id -u)" -eq 0 ] || command -v podman > /dev/null; } || return 0
    if true; then
        (cd "$REPO" && timeout 2400 make container) > "$BATS_FILE_TMPDIR/container.log" 2>&1 || true
    fi
}

need_image() {
    [ -z "${COOPMAP_SANITIZE:-}" ] || skip "make sanitize: the image builds its own tools, not the sanitized ones"
    [ "$(id -u)" -eq 0 ] || command -v podman > /dev/null || skip "neither root nor podman: cannot build the image"
    grep -q '^container: PASS' "$BATS_FILE_TMPDIR/container.log" || { tail -40 "$BATS_FILE_TMPDIR/container.log"; return 1; }
}

# the apt-get install package list of stage N (1 = build, 2 = runtime) of FILE (the
# Containerfile, stages start at FROM; the Apptainer definition, at Bootstrap:)
packages() {
    local f=$1 n=$2 start='^FROM '
    [ "$f" = "$DEF" ] && start='^Bootstrap:'
    awk -v n="$n" -v st="$start" '$0 ~ st {s++} s == n' "$f" |
        awk '{ if (sub(/\\$/, "")) { printf "%s ", $0 } else print }' |
        grep -o 'apt-get install -y --no-install-recommends [^&]*' | cut -d' ' -f5- | tr ' ' '\n' | grep . | sort
}
cf_packages() { packages "$CF" "$1"; }

@test "Containerfile: multi-stage (bookworm build stage with -dev packages, slim runtime without), labels, non-root user" {
    [ "$(grep -c '^FROM ' "$CF")" -eq 2 ]
    grep -q '^ARG BASE=docker.io/library/debian:12-slim$' "$CF"
    grep -q '^FROM ${BASE} AS build$' "$CF" && grep -q '^FROM ${BASE} AS runtime$' "$CF"
    cf_packages 1 | grep -qx libhts-dev
    cf_packages 1 | grep -qx build-essential
    run bash -c "$(declare -f packages cf_packages); CF='$CF'; cf_packages 2 | grep -- '-dev\$\|build-essential'"
    assert_failure                                   # the runtime stage installs no -dev package
    cf_packages 2 | grep -qx libhts3
    cf_packages 2 | grep -qx snakemake
    for l in org.opencontainers.image.title org.opencontainers.image.version base_image software \
             software.version about.summary about.home about.license about.tags maintainer; do
        grep -q "^\(LABEL \| *\)$l=" "$CF" || { echo "no label $l"; return 1; }
    done
    run grep '^USER ' "$CF"
    assert_output "USER coopmap"
    grep -q 'COPY --from=build /usr/local/bin/ /usr/local/bin/' "$CF"
}

@test "coopmap.def: the same two stages, sections and packages as the Containerfile" {
    for s in '^Bootstrap: docker$' '^From: debian:12-slim$' '^Stage: build$' '^Stage: runtime$' \
             '^%files from build$' '^%post$' '^%labels$' '^%environment$' '^%runscript$' '^%test$'; do
        grep -q "$s" "$DEF" || { echo "coopmap.def: no $s"; return 1; }
    done
    # each stage's apt-get packages equal the Containerfile's
    for n in 1 2; do
        [ "$(cf_packages "$n" | wc -l)" -ge 5 ]
        diff <(cf_packages "$n") <(packages "$DEF" "$n")
    done
    grep -q 'make -C /src install PREFIX=/usr/local' "$DEF"
}

@test "make container: the image builds offline and the demo inside it recovers the planted truth as a non-root user" {
    need_image
    run grep '^container: PASS' "$BATS_FILE_TMPDIR/container.log"
    assert_output --regexp "as user 'coopmap': precision 1.000 recall 1.000 tp 4 fp 0 fn 0 self_ok 4/4$"
    echo "# $output" >&3
    D="$REPO/build/container/demo/demo"
    for f in stats/cooperativity.tsv stats/heatmap.svg ism/effects.tsv manifest.json; do [ -s "$D/$f" ]; done
    # the outputs are the host demo's (the same tools, built in the image)
    cmp <(body "$D/stats/cooperativity.tsv" ) <(cd "$REPO" && "$BIN/coopmap-stats" --alpha 0.05 \
        --title x --long /dev/stdout --matrix /dev/null --svg /dev/null "$D/ism/effects.tsv" | body /dev/stdin)
    if grep -q '^container: PASS chroot' "$BATS_FILE_TMPDIR/container.log"; then
        echo "# podman could not run a container here; the recipe's steps ran in a chroot" >&3
        return 0
    fi
    # the manifest written inside names the container
    run /usr/bin/python3 -c "import json,sys; m=json.load(open(sys.argv[1])); print(m['container']['engine'], m['container']['image'], m['tools']['ism']['path'])" "$D/manifest.json"
    assert_output "podman coopmap:0.1.0 /opt/coopmap/bin/coopmap-ism"
}

@test "image: BioContainers labels, user coopmap, every tool runs, no compiler" {
    need_image
    if grep -q '^container: PASS chroot' "$BATS_FILE_TMPDIR/container.log"; then
        skip "podman cannot run containers here ($(cat "$REPO/build/container/podman-probe.log")): no image to inspect"
    fi
    run "${PODMAN[@]}" image inspect --format '{{.Config.User}} {{index .Config.Labels "software"}} {{index .Config.Labels "software.version"}} {{index .Config.Labels "base_image"}}' "$IMAGE"
    assert_output "coopmap coopmap 0.1.0 debian:12-slim"
    run "${PODMAN[@]}" run --rm --network none "$IMAGE" bash -c \
        'for t in scan pairs ism stats compare simulate; do coopmap-$t --version; done; command -v gcc cc || echo "no compiler"; id -u'
    assert_success
    assert_line "coopmap-ism 0.1.0"
    assert_line "no compiler"
    assert_line "1000"
}
