#!/usr/bin/env bats
# Packaging: the per-stage Snakemake wrappers (workflows/snakemake/wrappers/), the conda
# environments (envs/, the wrappers' environment.yaml), the bioconda-style recipe
# (recipe/) and their static checks (tests/packaging_check.py).
#   bats tests/packaging.bats
# setup_file simulates the embedded demo data (as `make demo` does), runs
# tests/packaging/Snakefile (one rule per wrapper: scan -> pairs -> ism -> stats,
# compare -> family) and the same tools directly with the same arguments.
# Needs snakemake and /usr/bin/python3 with PyYAML; no ../shared.

load helpers

REPO="$(cd "$BATS_TEST_DIRNAME/.." && pwd)"
PY=/usr/bin/python3
CHECK="$REPO/tests/packaging_check.py"
STAGES=(scan pairs ism stats compare family)
LOGGED=(scan scan_shard1 scan_shard2 pairs ism stats compare family)   # logs/NAME.log

# run a tool directly from $BATS_FILE_TMPDIR/direct, recording its words in cmds/STAGE
direct() {
    local stage=$1
    shift
    printf '%q ' "$@" > "cmds/$stage"
    "$@" 2> "logs/$stage.log"
}

setup_file() {
    local T="$BATS_FILE_TMPDIR" B D
    B="$(cd "$BIN" && pwd)"
    D="$T/data"
    "$B/coopmap-simulate" --seed 1 -o "$D" "$REPO/config/demo/demo.grammar" 2> "$T/simulate.log" || return 0
    printf 'pattern\ttf\nELF1\tA\nSRF\tA\nNRF1\tB\nCTCF\tB\nTP53\tC\nREST\tC\n' > "$D/labels.tsv"
    # through the wrappers
    timeout 600 snakemake -s "$REPO/tests/packaging/Snakefile" --directory "$T/wrapped" \
        --config data="$D" bin_dir="$B" -c 2 > "$T/snakemake.log" 2>&1 \
        || { cat "$T/snakemake.log" >&3; return 0; }
    # the same commands by hand, with the same relative output paths (so even the
    # '#' provenance lines, which hold the command line, must be equal)
    mkdir -p "$T/direct" && cd "$T/direct" && mkdir -p cmds logs scan pairs ism stats compare family
    local G="$REPO/config/demo/demo.grammar" TITLE="coopmap demo: planted ELF1-SRF cooperation, NRF1-CTCF competition"
    direct scan "$B/coopmap-scan" --text --thresh 0.0001 --bfile --uniform-- --motif-pseudo 0.1 \
        --threads 2 -o scan/sites.tsv "$D/motifs.meme" "$D/genome.fa"
    for k in 1 2; do
        direct "scan_shard$k" "$B/coopmap-scan" --text --thresh 0.0001 --bfile --uniform-- \
            --motif-pseudo 0.1 --shard "$k/2" --threads 1 -o "scan/shard$k.tsv" "$D/motifs.meme" "$D/genome.fa"
    done
    direct pairs "$B/coopmap-pairs" --peaks "$D/peaks.bed" --max-distance 500 --model "$G" \
        --genome "$D/genome.fa" --sources pairs/sources.tsv -o pairs/pairs.tsv scan/sites.tsv
    direct ism "$B/coopmap-ism" --model "$G" --genome "$D/genome.fa" --sources pairs/sources.tsv \
        --pairs pairs/pairs.tsv --draws 10 --seed 1 --scale prob --knockout random --threads 2 \
        -o ism/effects.tsv
    direct stats "$B/coopmap-stats" --alpha 0.05 --title "$TITLE" --long stats/cooperativity.tsv \
        --matrix stats/cooperativity_matrix.tsv --svg stats/heatmap.svg ism/effects.tsv
    direct compare "$B/coopmap-compare" -dist ed -min-overlap 1 -thresh 0.5 --threads 2 \
        -o compare/matches.tsv "$D/motifs.meme" "$D/motifs.meme"
    direct family "$B/coopmap-family" jos --labels "$D/labels.tsv" --thresh 0.5 -o family/jos.tsv \
        compare/matches.tsv
}

setup() {
    T="$BATS_TEST_TMPDIR"
    W="$BATS_FILE_TMPDIR/wrapped"
    D="$BATS_FILE_TMPDIR/direct"
}

# a copy of what packaging_check.py reads, to break in a test
fixture_root() {
    mkdir -p "$T/root/c/core"
    cp -r "$REPO/envs" "$REPO/recipe" "$REPO/workflows" "$T/root/"
    cp "$REPO/c/core/version.h" "$T/root/c/core/"
}

# ---------------------------------------------------------------- wrappers

@test "wrappers: tests/packaging/Snakefile runs every wrapper on the demo data" {
    run cat "$BATS_FILE_TMPDIR/snakemake.log"
    assert_output --partial "9 of 9 steps (100%) done"
    for f in scan/sites.tsv pairs/pairs.tsv pairs/sources.tsv ism/effects.tsv \
             stats/cooperativity.tsv stats/cooperativity_matrix.tsv stats/heatmap.svg \
             compare/matches.tsv family/jos.tsv; do
        [ -s "$W/$f" ] || { echo "missing: $f"; return 1; }
    done
    # real work was done: hundreds of effects, the planted ELF1-SRF cell is tested
    [ "$(body "$W/ism/effects.tsv" | wc -l)" -gt 1000 ]
    run awk -F'\t' '$1 == "ELF1" && $2 == "SRF" && $3 == "pair"' "$W/stats/cooperativity.tsv"
    assert_output --partial "ELF1"
}

@test "wrappers: scan -> pairs -> ism -> stats outputs are byte-identical to the tools run directly" {
    for f in scan/sites.tsv scan/shard1.tsv scan/shard2.tsv pairs/pairs.tsv pairs/sources.tsv \
             ism/effects.tsv stats/cooperativity.tsv stats/cooperativity_matrix.tsv stats/heatmap.svg; do
        [ -s "$D/$f" ] || { echo "direct run left no $f"; return 1; }
        cmp "$W/$f" "$D/$f" || { echo "differs: $f"; return 1; }
    done
}

@test "wrappers: compare -> family outputs are byte-identical to the tools run directly" {
    cmp "$W/compare/matches.tsv" "$D/compare/matches.tsv"
    cmp "$W/family/jos.tsv" "$D/family/jos.tsv"
    # NRF1 and CTCF (TF B) share one match in the self-comparison: JOS 0.5
    run awk -F'\t' '$1 == "B" { print $5 }' "$W/family/jos.tsv"
    assert_output "0.5"
}

@test "wrappers: without params.bin_dir the tools are taken from PATH" {
    local B
    B="$(cd "$BIN" && pwd)"
    PATH="$B:$PATH" run timeout 300 snakemake -s "$REPO/tests/packaging/Snakefile" --directory "$T/path" \
        --config data="$BATS_FILE_TMPDIR/data" -c 2 -- family/jos.tsv
    assert_success
    run head -1 "$T/path/logs/compare.log"
    assert_output --regexp '^coopmap-wrapper compare: coopmap-compare -dist ed '
    run head -1 "$T/path/logs/family.log"
    assert_output --regexp '^coopmap-wrapper family: coopmap-family jos '
    cmp "$T/path/family/jos.tsv" <(sed "s|$B/coopmap-family|coopmap-family|" "$W/family/jos.tsv")
}

@test "wrappers: each logged command follows its stage (stages.match) and is the direct command" {
    run "$PY" - "$REPO" "$W/logs" "$D/cmds" "${LOGGED[@]}" <<'PY'
import shlex, sys
repo, logs, cmds, names = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
sys.path.insert(0, f"{repo}/workflows")
import stages
table = stages.load()
for name in names:
    st = name.split("_shard")[0]
    first = open(f"{logs}/{name}.log").readline().rstrip("\n")
    prefix = f"coopmap-wrapper {st}: "
    assert first.startswith(prefix), (st, first)
    cmd = first[len(prefix):]
    got = stages.match(table, st, cmd)              # raises StageError on drift
    want = shlex.split(open(f"{cmds}/{name}").read())
    assert shlex.split(cmd) == want, (st, shlex.split(cmd), want)
    if name in ("scan", "ism", "compare"):
        assert got["threads"] == "2", (name, got)
    assert got.get("shard") == (name[-1] + "/2" if "_shard" in name else None), (name, got)
    print(name, "ok", sorted(got))
PY
    assert_success
    assert_output --partial "family ok"
    assert_line --partial "scan ok ['bfile', 'genome', 'motif_pseudo', 'motifs', 'sites', 'threads', 'thresh']"
}

@test "wrappers: every wrapper has wrapper.py, a pinned environment.yaml and meta.yaml naming the stage's slots" {
    run "$PY" - "$REPO" "${STAGES[@]}" <<'PY'
import os, sys, yaml
repo, names = sys.argv[1], sys.argv[2:]
sys.path.insert(0, f"{repo}/workflows")
import stages
table = stages.load()
for st in names:
    d = f"{repo}/workflows/snakemake/wrappers/{st}"
    src = open(f"{d}/wrapper.py").read()
    assert f'run(snakemake, "{st}"' in src, st
    meta = yaml.safe_load(open(f"{d}/meta.yaml"))
    for key in ("name", "description", "url", "authors", "input", "output", "params", "notes"):
        assert meta.get(key), (st, key)
    keys = lambda sec: {k for item in meta[sec] for k in item}
    assert keys("input") == set(table[st]["inputs"]), (st, keys("input"))
    assert keys("output") == set(table[st]["outputs"]), (st, keys("output"))
    assert keys("params") == (set(table[st]["params"]) - {"threads"}) | {"bin_dir"}, (st, keys("params"))
    env = yaml.safe_load(open(f"{d}/environment.yaml"))
    assert env["dependencies"], st
    print(st, "ok")
PY
    assert_success
    assert_output --partial "family ok"
}

@test "wrappers: a typo in params, unnamed files of the wrong number and a missing value are refused" {
    run "$PY" - "$REPO" <<'PY'
import ast, sys
repo = sys.argv[1]
W = f"{repo}/workflows/snakemake/wrappers"
sys.path.insert(0, W)
from snakemake.io import Namedlist
import coopmap_wrapper as cw

class Job:
    def __init__(self, input, output, params, threads=3):
        self.input, self.output = input, output
        self.params, self.threads = Namedlist(fromdict=params), threads

def named(**kw):
    return Namedlist(fromdict=kw)

def defaults(stage):          # the DEFAULTS of the stage's wrapper.py
    for line in open(f"{W}/{stage}/wrapper.py"):
        if line.startswith("DEFAULTS = "):
            return ast.literal_eval(line[len("DEFAULTS = "):])

def command(job, stage):
    return cw.command(job, stage, defaults(stage))

pairs_io = dict(input=named(sites="s.tsv", peaks="p.bed", model="m.cmm", genome="g.fa"),
                output=named(pairs="pairs.tsv", sources="src.tsv"))
# lists, flags and optional groups render as the stage table says
cmd = command(Job(params={"cells": ["HepG2", "K562"], "allow_overlap": True, "window": 200},
                     **pairs_io), "pairs")
assert "--cells HepG2,K562" in cmd and "--allow-overlap" in cmd and "--window 200" in cmd, cmd
cmd = command(Job(params={}, **pairs_io), "pairs")
assert "--cells" not in cmd and "--allow-overlap" not in cmd and "--window" not in cmd, cmd
assert cmd.startswith("coopmap-pairs "), cmd                     # no bin_dir: PATH
cmd = command(Job(named(effects="e.tsv"), named(long="l", matrix="m", svg="s.svg"),
                     {"bin_dir": "/opt/x y"}), "stats")
assert cmd.startswith("'/opt/x y/coopmap-stats' --alpha 0.05 --title 'TF–TF cooperativity'"), cmd
cmd = command(Job(Namedlist(["q.meme", "t.meme"]), Namedlist(["o.tsv"]),
                     {"evalue": True}), "compare")
assert "-evalue" in cmd and "--threads 3" in cmd and cmd.endswith("q.meme t.meme"), cmd

def refused(job, stage, words, defaults_=None):
    try:
        cw.command(job, stage, defaults(stage) if defaults_ is None else defaults_)
    except ValueError as e:
        assert all(w in str(e) for w in words), (stage, str(e))
        return
    raise AssertionError(f"{stage}: accepted")

refused(Job(params={"max_distnace": 100}, **pairs_io), "pairs", ["unknown params", "max_distnace"])
refused(Job(Namedlist(["q.meme"]), Namedlist(["o.tsv"]), {}), "compare", ["queries, targets"])
refused(Job(named(sites="s.tsv"), pairs_io["output"], {}), "pairs", ["peaks, model, genome"])
refused(Job(named(effects="e.tsv"), named(long="l", matrix="m", svg="s"), {"title": "t"}), "stats",
        ["params.alpha is required"], defaults_={})
print("refusals ok")
PY
    assert_success
    assert_output "refusals ok"
}

# ---------------------------------------------------------------- static checks

@test "packaging_check: this checkout passes (YAML parses, pins exact, conda: files exist, recipe version)" {
    run "$PY" "$CHECK"
    assert_success
    assert_line --partial "ok: pins: envs/coopmap.yaml"
    assert_line --partial "ok: pins: envs/dev.yaml"
    assert_line --partial "ok: pins: workflows/snakemake/wrappers/stats/environment.yaml"
    assert_line --regexp "^ok: conda: workflows/snakemake/rules/stats.smk:[0-9]+ -> envs/coopmap.yaml$"
    assert_line "ok: recipe: version $(sed -n 's/.*COOPMAP_VERSION "\(.*\)".*/\1/p' "$REPO/c/core/version.h") = c/core/version.h"
    assert_line "0 failed"
}

@test "packaging_check: an unpinned or ranged dependency fails" {
    fixture_root
    run "$PY" "$CHECK" --root "$T/root"
    assert_success
    sed -i 's/^  - htslib=1.21$/  - htslib/' "$T/root/envs/coopmap.yaml"
    sed -i 's/^  - pyyaml=6.0.2$/  - pyyaml >=6/' "$T/root/workflows/snakemake/wrappers/ism/environment.yaml"
    sed -i 's/^  - scipy=1.14.1$/  - scipy=1.14.*/' "$T/root/envs/dev.yaml"
    run "$PY" "$CHECK" --root "$T/root"
    assert_failure
    assert_line "FAIL: pins: envs/coopmap.yaml: not pinned exactly: htslib"
    assert_line "FAIL: pins: workflows/snakemake/wrappers/ism/environment.yaml: not pinned exactly: pyyaml >=6"
    assert_line "FAIL: pins: envs/dev.yaml: not pinned exactly: scipy=1.14.*"
    assert_line "3 failed"
}

@test "packaging_check: a YAML file that does not parse fails (recipe rendered first)" {
    fixture_root
    printf 'params:\n  - alpha: [unclosed\n' >> "$T/root/workflows/snakemake/wrappers/stats/meta.yaml"
    printf 'extra:\n  key: {{ broken\n' >> "$T/root/recipe/meta.yaml"
    mkdir -p "$T/root/workflows/snakemake/profiles/x" "$T/root/workflows/nextflow"
    printf 'jobs: 2\n  bad-indent: 1\n' > "$T/root/workflows/snakemake/profiles/x/config.yaml"
    printf 'a: [b\n' > "$T/root/workflows/nextflow/params.yml"
    run "$PY" "$CHECK" --root "$T/root"
    assert_failure
    assert_line --partial "FAIL: yaml: workflows/snakemake/wrappers/stats/meta.yaml does not parse"
    assert_line --partial "FAIL: yaml: recipe/meta.yaml does not parse"
    assert_line --partial "FAIL: yaml: workflows/snakemake/profiles/x/config.yaml does not parse"
    assert_line --partial "FAIL: yaml: workflows/nextflow/params.yml does not parse"
    assert_line "4 failed"
}

@test "packaging_check: a conda: directive naming a missing or unresolvable file fails" {
    fixture_root
    sed -i 's/"coopmap.yaml"/"missing.yaml"/' "$T/root/workflows/snakemake/rules/stats.smk"
    grep -q 'missing.yaml' "$T/root/workflows/snakemake/rules/stats.smk"
    sed -i '0,/os.path.join(ENVS, "coopmap.yaml")/s//os.path.join(NOWHERE, "coopmap.yaml")/' \
        "$T/root/workflows/snakemake/rules/ism.smk"
    run "$PY" "$CHECK" --root "$T/root"
    assert_failure
    assert_line --regexp '^FAIL: conda: workflows/snakemake/rules/stats.smk:[0-9]+: .* -> envs/missing.yaml: no such file$'
    assert_line --regexp '^FAIL: conda: workflows/snakemake/rules/ism.smk:[0-9]+: cannot resolve .*NOWHERE'
}

@test "packaging_check: Nextflow conda directives must name an existing file or pinned packages" {
    fixture_root
    local M="$T/root/workflows/nextflow/modules/coopmap/fixturemod"
    mkdir -p "$M"
    printf 'process STATS {\n    conda "${moduleDir}/environment.yml"\n    script: "true"\n}\n' > "$M/main.nf"
    printf 'process PAIRS {\n    conda "bioconda::htslib=1.21 conda-forge::gsl"\n    script: "true"\n}\n' > "$M/../fixturepairs.nf"
    run "$PY" "$CHECK" --root "$T/root"
    assert_failure
    assert_line 'FAIL: conda: workflows/nextflow/modules/coopmap/fixturemod/main.nf:2: ${moduleDir}/environment.yml: no such file'
    assert_line "FAIL: conda: workflows/nextflow/modules/coopmap/fixturepairs.nf:2: not pinned exactly: conda-forge::gsl"
    printf 'dependencies:\n  - htslib=1.21\n' > "$M/environment.yml"
    sed -i 's/conda-forge::gsl/conda-forge::gsl=2.7/' "$M/../fixturepairs.nf"
    run "$PY" "$CHECK" --root "$T/root"
    assert_success
    assert_line 'ok: conda: workflows/nextflow/modules/coopmap/fixturemod/main.nf:2 -> ${moduleDir}/environment.yml'
}

@test "packaging_check: a recipe version other than c/core/version.h's fails" {
    fixture_root
    sed -i 's/{% set version = "[^"]*" %}/{% set version = "9.9.9" %}/' "$T/root/recipe/meta.yaml"
    run "$PY" "$CHECK" --root "$T/root"
    assert_failure
    assert_line --regexp '^FAIL: recipe: version 9.9.9 is not COOPMAP_VERSION [0-9.]+ of c/core/version.h$'
}

# ---------------------------------------------------------------- recipe

@test "recipe: build.sh builds and installs every tool into PREFIX; the recipe's test commands pass" {
    command -v git > /dev/null || skip "git not found"
    mkdir -p "$T/src"
    # a copy of the checkout's files (what `source: path: ../` hands conda-build)
    git -C "$REPO" ls-files -co --exclude-standard -z | (cd "$REPO" && tar --null -T - -cf -) | tar -xf - -C "$T/src"
    cd "$T/src"
    PREFIX="$T/prefix" CPU_COUNT=2 CC=cc nice bash recipe/build.sh > "$T/build.log" 2>&1 \
        || { tail -20 "$T/build.log"; return 1; }
    local v
    v=$(sed -n 's/.*COOPMAP_VERSION "\(.*\)".*/\1/p' "$REPO/c/core/version.h")
    for t in scan pairs ism stats compare simulate; do
        run "$T/prefix/bin/coopmap-$t" --version
        assert_success
        assert_output "coopmap-$t $v"
    done
    run head -1 "$T/prefix/bin/coopmap-train"
    assert_output "#!/usr/bin/env python3"
    # the recipe's test: commands, in an environment whose PATH starts with PREFIX/bin
    "$PY" -c 'import sys, yaml; sys.path.insert(0, sys.argv[1]); import packaging_check as p
for c in yaml.safe_load(p.render_jinja(open(sys.argv[2]).read()))["test"]["commands"]: print(c)' \
        "$REPO/tests" "$REPO/recipe/meta.yaml" > "$T/commands"
    [ "$(wc -l < "$T/commands")" -ge 7 ]
    while IFS= read -r c; do
        PATH="$T/prefix/bin:$PATH" bash -c "$c" > /dev/null || { echo "recipe test failed: $c"; return 1; }
    done < "$T/commands"
}
