#!/usr/bin/env bats
# The run manifest (workflows/snakemake/rules/manifest.smk) and scripts/coopmap-rerun:
# a rerun from the manifest reproduces every output byte for byte, refuses changed
# inputs, and reports outputs that differ.  On the embedded demo.

load helpers

REPO="$(cd "$BATS_TEST_DIRNAME/.." && pwd)"
RERUN="$REPO/scripts/coopmap-rerun"
PY=/usr/bin/python3

setup_file() {
    local T="$BATS_FILE_TMPDIR"
    "$BIN/coopmap-simulate" --seed 1 -o "$T/data" "$REPO/config/demo/demo.grammar" 2> "$T/simulate.log" || return 0
    mkdir -p "$T/w"
    timeout 600 snakemake -s "$REPO/workflows/snakemake/Snakefile" --configfile "$REPO/config/demo.yaml" \
        --config outdir=out genome="$T/data/genome.fa" motifs="$T/data/motifs.meme" \
        peaks="$T/data/peaks.bed" bin_dir="$(cd "$BIN" && pwd)" --directory "$T/w" -c 2 --quiet \
        > "$T/snakemake.log" 2>&1 || { cat "$T/snakemake.log" >&3; return 0; }
}

setup() {
    T="$BATS_TEST_TMPDIR"
    W="$BATS_FILE_TMPDIR/w"
    M="$W/out/manifest.json"
}

@test "manifest: tool versions, the effective config and sha256 of every input and output" {
    [ -s "$M" ] || { cat "$BATS_FILE_TMPDIR/snakemake.log"; return 1; }
    run $PY - "$M" "$(cd "$BIN" && pwd)" <<'PY'
import hashlib, json, os, sys
m = json.load(open(sys.argv[1]))
sha = lambda p: hashlib.sha256(open(p, "rb").read()).hexdigest()
assert m["coopmap_manifest"] == 1
assert m["tools"]["ism"]["version"] == "coopmap-ism 0.1.0", m["tools"]["ism"]
assert m["tools"]["ism"]["path"] == os.path.join(sys.argv[2], "coopmap-ism")
assert all(t["sha256"] == sha(t["path"]) for t in m["tools"].values())
assert m["config"]["ism"]["draws"] == 10 and m["config"]["ism"]["shards"] == 1   # defaults filled in
roles = {i["role"] for i in m["inputs"]}
assert {"genome", "genome index", "motifs", "peaks", "model main"} <= roles, roles
assert all(i["sha256"] == sha(i["path"]) and i["size"] == os.path.getsize(i["path"]) for i in m["inputs"])
outs = {o["path"] for o in m["outputs"]}
assert "out/stats/cooperativity.tsv" in outs and "out/ism/effects.tsv" in outs and len(outs) == 7, outs
os.chdir(m["workdir"])
assert all(o["sha256"] == sha(o["path"]) for o in m["outputs"])
assert m["software"]["snakemake"].startswith("7."), m["software"]
print(f"# {len(m['tools'])} tools, {len(m['inputs'])} inputs, {len(outs)} outputs")
PY
    assert_success
    # and the same checksums as sha256sum
    want=$(cd "$W" && sha256sum out/stats/heatmap.svg | cut -d' ' -f1)
    run $PY -c "import json,sys; print([o['sha256'] for o in json.load(open(sys.argv[1]))['outputs'] if o['path'] == 'out/stats/heatmap.svg'][0])" "$M"
    assert_output "$want"
}

@test "rerun: from the manifest, every output is reproduced byte for byte" {
    [ -s "$M" ] || skip "the workflow did not run"
    cp -r "$W/out" "$T/saved"
    cp "$M" "$T/manifest.json"
    rm -rf "$W/out/scan" "$W/out/pairs" "$W/out/ism" "$W/out/stats"
    run $PY "$RERUN" "$T/manifest.json"
    assert_success
    assert_line "same out/ism/effects.tsv"
    assert_line "coopmap-rerun: 7 of 7 outputs identical to the manifest"
    for f in scan/sites.tsv pairs/pairs.tsv pairs/sources.tsv ism/effects.tsv stats/cooperativity.tsv \
             stats/cooperativity_matrix.tsv stats/heatmap.svg; do
        cmp "$T/saved/$f" "$W/out/$f"
    done
}

@test "rerun: a changed input is refused, naming the file, before anything runs" {
    [ -s "$M" ] || skip "the workflow did not run"
    cp -r "$BATS_FILE_TMPDIR/data" "$T/data"
    sed "s#$BATS_FILE_TMPDIR/data#$T/data#g" "$M" > "$T/manifest.json"
    printf 'chr1\t1\t2\tELF1\n' >> "$T/data/peaks.bed"
    run $PY "$RERUN" "$T/manifest.json"
    [ "$status" -eq 2 ]
    assert_output --partial "$T/data/peaks.bed (peaks): sha256 differs from the manifest's"
    refute_output --partial "same "
}

@test "rerun --check: an output that differs from the manifest is reported and fails" {
    [ -s "$M" ] || skip "the workflow did not run"
    $PY - "$M" "$T/manifest.json" <<'PY'
import json, sys
m = json.load(open(sys.argv[1]))
for o in m["outputs"]:
    if o["path"] == "out/stats/cooperativity.tsv":
        o["sha256"] = "0" * 64
json.dump(m, open(sys.argv[2], "w"))
PY
    run $PY "$RERUN" --check "$T/manifest.json"
    assert_failure
    assert_line "DIFFERENT out/stats/cooperativity.tsv"
    assert_line "same out/stats/heatmap.svg"
    assert_line "coopmap-rerun: 6 of 7 outputs identical to the manifest, 1 DIFFERENT"
    run $PY "$RERUN" --check "$M"
    assert_success
}
