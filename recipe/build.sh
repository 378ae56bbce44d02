#!/bin/bash
# conda-build script of the coopmap recipe (recipe/meta.yaml), run in the source root.
# Builds every tool with the repository's Makefile into fresh folders and installs them
# with the Python scripts into $PREFIX.  By hand (what tests/packaging.bats does):
#   PREFIX=/tmp/p CPU_COUNT=2 CC=cc bash recipe/build.sh
set -euo pipefail

: "${PREFIX:?PREFIX must be set}"
CPU_COUNT=${CPU_COUNT:-1}
CC=${CC:-cc}
WORK=${COOPMAP_BUILD_DIR:-_conda_build}

# conda's compiler flags, plus the host prefix where htslib, gsl and zlib are (the
# Makefile honours CC, CFLAGS, CPPFLAGS and LDFLAGS)
MAKEVARS=(CC="$CC" CFLAGS="${CFLAGS:--O2}" CPPFLAGS="${CPPFLAGS:-} -I${PREFIX}/include"
          LDFLAGS="${LDFLAGS:-} -L${PREFIX}/lib -Wl,-rpath,${PREFIX}/lib"
          BUILD="$WORK/build" BIN="$WORK/bin")

make -j"$CPU_COUNT" "${MAKEVARS[@]}" all
make "${MAKEVARS[@]}" install PREFIX="$PREFIX"

# scripts/coopmap-score-torch and coopmap-train start with #!/usr/bin/python3: point the
# installed copies at the environment's python
for f in "$PREFIX"/bin/coopmap-*; do
    if head -c 32 "$f" | grep -q '^#!/usr/bin/python3'; then
        sed -i.bak '1s|^#!/usr/bin/python3|#!/usr/bin/env python3|' "$f" && rm -f "$f.bak"
    fi
done
