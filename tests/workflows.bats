#!/usr/bin/env bats
# The Snakemake front end at cluster scale (issue 10): snakemake --lint, every rule's
# threads/resources/conda, the profiles, the config schema's errors, and the Snakemake
# half of the drift test (tests/workflow_drift.py: every command a dry run prints follows
# workflows/stages.yaml).  The sharded runs themselves are in demo.bats and real.bats.

load helpers

REPO="$(cd "$BATS_TEST_DIRNAME/.." && pwd)"
SNAKEFILE="$REPO/workflows/snakemake/Snakefile"
PY=/usr/bin/python3

setup_file() {
    "$BIN/coopmap-simulate" --seed 1 -o "$BATS_FILE_TMPDIR/data" "$REPO/config/demo/demo.grammar" \
        2> "$BATS_FILE_TMPDIR/simulate.log" || true
}

setup() {
    T="$BATS_TEST_TMPDIR"
    DATA="$BATS_FILE_TMPDIR/data"
    CONF=(genome="$DATA/genome.fa" motifs="$DATA/motifs.meme" peaks="$DATA/peaks.bed"
          bin_dir="$(cd "$BIN" && pwd)" outdir="$T/out")
}

# A demo config with every optional stage on: 3 scan shards, 2 ism shards, a second map
# (`maps`) from a .npz checkpoint is not needed here: a second grammar map, and compare +
# family on the demo motifs with themselves.
full_config() {
    printf 'ID\tTF\nELF1\tELF1\nSRF\tSRF\nNRF1\tNRF1\nCTCF\tCTCF\n' > "$T/labels.tsv"
    sed -e 's/^scan: {\(.*\)}$/scan: {\1, shards: 3}/' -e 's/^ism: {\(.*\)}$/ism: {\1, shards: 2}/' \
        "$REPO/config/demo.yaml" > "$T/full.yaml"
    cat >> "$T/full.yaml" <<YAML
maps:
  - {name: second, cells: [], model: config/demo/demo.grammar, title: "second map"}
compare: {queries: "$DATA/motifs.meme", dist: ed, min_overlap: 1, thresh: 0.5, labels: "$T/labels.tsv"}
resources: {ism: {mem_mb: 8000, runtime: 600}}
YAML
}

dryrun() {   # dryrun CONFIGFILE [snakemake options...] > stdout
    local cf=$1; shift
    snakemake -s "$SNAKEFILE" --configfile "$cf" --config "${CONF[@]}" --directory "$REPO" \
        -n -p --forceall "$@" 2>&1
}

@test "workflow: snakemake --lint is clean for the demo, the real and the all-options configs" {
    full_config
    for cf in "$REPO/config/demo.yaml" "$REPO/tests/real/config.yaml" "$T/full.yaml"; do
        [ "$cf" = "$REPO/tests/real/config.yaml" ] && ! [ -d "$SHARED/data" ] && continue
        run snakemake -s "$SNAKEFILE" --configfile "$cf" --config "${CONF[@]}" --directory "$REPO" --lint
        assert_success
        assert_output --partial "Congratulations, your workflow is in a good condition!"
        refute_output --partial "Lints for"
    done
}

@test "workflow: every command of every rule follows workflows/stages.yaml (Snakemake half of the drift test)" {
    full_config
    dryrun "$T/full.yaml" > "$T/dry.txt" || { cat "$T/dry.txt"; return 1; }
    run $PY "$REPO/tests/workflow_drift.py" "$T/dry.txt" \
        --expect scan,scan_merge,pairs,ism,ism_merge,stats,compare,family
    assert_success
    assert_line "# rule scan: 3 commands follow the table"
    assert_line "# rule ism: 4 commands follow the table"    # 2 maps x 2 shards
    assert_line "# rule family: 1 command follows the table"
    if [ -d "$SHARED/data" ]; then   # the real config adds convert_model (a .pth checkpoint)
        dryrun "$REPO/tests/real/config.yaml" > "$T/real.txt" || { cat "$T/real.txt"; return 1; }
        run $PY "$REPO/tests/workflow_drift.py" "$T/real.txt" --expect scan,pairs,ism,stats,compare,convert_model
        assert_success
    fi
    # the test can fail: a table whose stats template wants another option flags drift
    sed 's/--alpha {alpha}/--fdr {alpha}/' "$REPO/workflows/stages.yaml" > "$T/drifted.yaml"
    run $PY "$REPO/tests/workflow_drift.py" "$T/dry.txt" --stages "$T/drifted.yaml"
    assert_failure
    assert_output --partial "DRIFT: rule stats: stage stats: the command does not follow stages.yaml"
}

@test "workflow: every rule declares threads, resources (mem_mb, runtime), log, benchmark and conda" {
    run $PY - "$REPO/workflows/snakemake" <<'PY'
import glob, os, re, sys
root = sys.argv[1]
n = 0
for f in sorted(glob.glob(os.path.join(root, "rules", "*.smk")) + [os.path.join(root, "Snakefile")]):
    text = open(f).read()
    # a rule's body: from "rule NAME:" to the next rule or a line at the rule's own indent
    for m in re.finditer(r"^( *)rule (\w+):\n((?:\1 +.*\n|\s*\n)*)", text, re.M):
        name, body = m.group(2), m.group(3)
        if name == "all":
            continue
        n += 1
        for key in ("threads:", "resources:", "mem_mb=", "runtime=", "log:", "benchmark:", "conda:"):
            if key not in body:
                print(f"{os.path.basename(f)}: rule {name} has no {key}")
                sys.exit(1)
print(f"# {n} rules checked")
assert n >= 9, n
PY
    assert_success
    assert_output --regexp "# (9|1[0-9]) rules checked"
}

@test "workflow: the slurm profile turns threads and resources into job requests; config resources override" {
    full_config
    run dryrun "$T/full.yaml" --profile "$REPO/workflows/snakemake/profiles/slurm"
    assert_success
    # ism from the config's resources override, scan from the defaults, partition from the profile
    [ "$(grep -c 'resources: .*mem_mb=8000.*slurm_partition=main.*runtime=600' <<< "$output")" -eq 4 ]
    [ "$(grep -c 'resources: .*mem_mb=2000.*runtime=120' <<< "$output")" -eq 3 ]
    run dryrun "$REPO/config/demo.yaml" --profile "$REPO/workflows/snakemake/profiles/local"
    assert_success
    assert_output --partial "This was a dry-run"
}

@test "workflow: a bad config gets a schema error naming the key, before any job" {
    bad() {   # bad 'YAML line' 'expected message part'
        { cat "$REPO/config/demo.yaml"; echo "$1"; } > "$T/bad.yaml"
        run snakemake -s "$SNAKEFILE" --configfile "$T/bad.yaml" --config "${CONF[@]}" \
            --directory "$REPO" -n
        assert_failure
        assert_output --partial "Error validating config file"
        assert_output --partial "$2"
    }
    bad 'scna: {thresh: 1}' "'scna' was unexpected"
    bad 'resources: {ism: {mem: 5}}' "'mem' was unexpected"
    bad 'resources: {isn: {mem_mb: 5}}' "'isn'"
    run snakemake -s "$SNAKEFILE" --configfile "$REPO/config/demo.yaml" --config "${CONF[@]}" \
        'ism={"draws": "ten"}' --directory "$REPO" -n
    assert_failure
    assert_output --partial "'ten' is not of type 'integer'"
    assert_output --partial "['ism']['properties']['draws']"
    [ ! -e "$T/out" ]
}

@test "workflow: every key of the config schema has a type, a description and a default or is required" {
    run $PY - "$REPO/config/schema.yaml" <<'PY'
import sys, yaml
s = yaml.safe_load(open(sys.argv[1]))
n = 0
def walk(props, required, where):
    global n
    for k, v in props.items():
        n += 1
        assert "type" in v, f"{where}{k}: no type"
        assert v.get("description"), f"{where}{k}: no description"
        optional_without_default = {"base", "bin_dir", "model", "queries", "targets", "labels", "title", "maps",
                                    "regions", "region"}
        assert "default" in v or k in required or k in optional_without_default, f"{where}{k}: no default"
        if v.get("type") == "object" and "properties" in v:
            walk(v["properties"], v.get("required", []), f"{where}{k}.")
        if v.get("type") == "array" and isinstance(v.get("items"), dict) and "properties" in v["items"]:
            walk(v["items"]["properties"], v["items"].get("required", []), f"{where}{k}[].")
walk(s["properties"], s.get("required", []), "")
print(f"# {n} keys described")
PY
    assert_success
    assert_output --regexp "# [0-9]+ keys described"
}
