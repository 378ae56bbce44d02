#!/usr/bin/env bash
# Install what coopmap needs to build, test and run its workflow on Debian 12.
# As root: apt-get installs the missing packages.  Otherwise: prints the exact
# commands (apt-get, or conda for machines without root) and exits 1.
set -euo pipefail
# Usage: scripts/deps.sh [--test]   (--test adds what only the tests need: PyTorch for
# the parity tests and the training checks, scipy for reference values)
PKGS=(build-essential pkg-config libhts-dev libgsl-dev zlib1g-dev
      bats bats-assert bats-support snakemake python3 python3-numpy
      python3-yaml python3-jsonschema samtools tabix time)
# the tests add PyTorch and scipy (parity and reference values), Groovy (the Nextflow files
# are parsed and their scripts rendered), podman + debootstrap (make container), statsmodels
# (fixtures, make bench), chromium + PIL (the report rendered headless), clang + libomp-dev
# (make fuzz / fuzz-smoke: libFuzzer harnesses, tests/fuzz/)
[ "${1:-}" = "--test" ] && PKGS+=(python3-torch python3-scipy python3-statsmodels python3-pil
                                 chromium fonts-dejavu-core groovy default-jre-headless
                                 podman runc debootstrap clang libomp-dev)
missing=()
for p in "${PKGS[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -eq 0 ]; then
    echo "coopmap deps: installing ${missing[*]}" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
    # podman needs its recommended helpers (networking, storage drivers) too
    case " ${missing[*]} " in *" podman "*) apt-get install -y -qq podman >&2 ;; esac
    exit 0
fi
cat >&2 <<MSG
coopmap deps: missing Debian packages: ${missing[*]}
Install them with:
    sudo apt-get update && sudo apt-get install -y ${missing[*]}
or, without root, into a conda environment:
    conda env create -f envs/dev.yaml && conda activate coopmap-dev
MSG
exit 1
