#!/usr/bin/env bats
# The Nextflow front end (workflows/nextflow/), checked without a Nextflow runtime (none is
# reachable here or in CI): every .nf and .config parsed by a real Groovy parser; the
# parameter schema; each module's script: block rendered by Groovy with its inputs and
# task.ext.args, checked against workflows/stages.yaml (the Nextflow half of the drift
# test, with the same parameter values as the Snakemake rules) and run as a shell command
# on the demo data, chained, with outputs equal to the Snakemake workflow's; main.nf's
# channel logic run by a Groovy mock of Nextflow's channels and processes
# (tests/nextflow/dataflow.groovy).

load helpers

REPO="$(cd "$BATS_TEST_DIRNAME/.." && pwd)"
NFD="$REPO/workflows/nextflow"
PY=/usr/bin/python3
CHECK="$REPO/tests/nextflow_check.py"

# The demo with saturation of its first 60 sequences and patterns (both front ends).
setup_file() {
    local T="$BATS_FILE_TMPDIR"
    "$BIN/coopmap-simulate" --seed 1 -o "$T/data" "$REPO/config/demo/demo.grammar" 2> "$T/simulate.log" || return 0
    awk -v OFS='\t' 'NR <= 60 { print $1, 0, $2 }' "$T/data/genome.fa.fai" > "$T/reg60.bed"
    printf 'saturation: {regions: %s}\npatterns: {enabled: true}\n' "$T/reg60.bed" > "$T/patterns.yaml"
    cd "$REPO"
    timeout 600 snakemake -s workflows/snakemake/Snakefile --configfile config/demo.yaml "$T/patterns.yaml" \
        --config outdir="$T/sm" genome="$T/data/genome.fa" motifs="$T/data/motifs.meme" \
        peaks="$T/data/peaks.bed" bin_dir="$(cd "$BIN" && pwd)" \
        --directory "$REPO" -c 2 --quiet > "$T/snakemake.log" 2>&1 || cat "$T/snakemake.log" >&3
}

setup() {
    T="$BATS_TEST_TMPDIR"
    S="$BATS_FILE_TMPDIR/sm"
}

need_groovy() {
    command -v groovy > /dev/null || skip "no groovy (apt-get install groovy default-jre-headless)"
}

@test "nextflow: every .nf and .config file parses with Groovy; a syntax error is reported with file and line" {
    need_groovy
    mapfile -t files < <(find "$NFD" -name '*.nf' -o -name '*.config' | sort)
    [ "${#files[@]}" -ge 13 ]
    run groovy "$REPO/tests/nextflow/parse.groovy" "${files[@]}"
    assert_success
    [ "$(grep -c '^ok ' <<< "$output")" -eq "${#files[@]}" ]
    sed 's/^    input:$/    input: {/' "$NFD/modules/coopmap/stats/main.nf" > "$T/broken.nf"
    run groovy "$REPO/tests/nextflow/parse.groovy" "$T/broken.nf"
    assert_failure
    assert_output --regexp "broken.nf:[0-9]+:[0-9]+: "
}

@test "nextflow: nextflow_schema.json is valid JSON Schema and matches nextflow.config's params" {
    need_groovy
    run $PY "$CHECK" schema
    assert_success
    assert_output --regexp "# nextflow_schema.json: [0-9]+ parameters, valid draft-7 schema; the test profile validates"
    # a parameter missing from the schema is caught
    cp -r "$NFD" "$T/nf"
    sed -i 's/^    ism_shards        = 1$/    ism_shards        = 1\n    ism_extra = 3/' "$T/nf/nextflow.config"
    grep -q ism_extra "$T/nf/nextflow.config"
    COOPMAP_NF_DIR="$T/nf" run $PY "$CHECK" schema
    assert_failure
    assert_output --partial "in nextflow.config but not the schema: ['ism_extra']"
    # and a default that disagrees with the schema's
    cp "$NFD/nextflow.config" "$T/nf/nextflow.config"
    sed -i 's/^    ism_draws         = 10$/    ism_draws         = 11/' "$T/nf/nextflow.config"
    COOPMAP_NF_DIR="$T/nf" run $PY "$CHECK" schema
    assert_failure
    assert_output --partial "ism_draws: default 10 in the schema, 11 in nextflow.config"
}

@test "nextflow: each module follows its stage, passes Snakemake's parameter values, runs on the demo and matches Snakemake's outputs" {
    need_groovy
    [ -s "$S/stats/cooperativity.tsv" ] || { cat "$BATS_FILE_TMPDIR/snakemake.log"; return 1; }
    snakemake -s "$REPO/workflows/snakemake/Snakefile" --configfile "$REPO/config/demo.yaml" "$BATS_FILE_TMPDIR/patterns.yaml" \
        --config outdir="$S" genome="$BATS_FILE_TMPDIR/data/genome.fa" motifs="$BATS_FILE_TMPDIR/data/motifs.meme" \
        peaks="$BATS_FILE_TMPDIR/data/peaks.bed" bin_dir="$(cd "$BIN" && pwd)" \
        --directory "$REPO" -n -p --forceall > "$T/dry.txt" 2>&1
    grep -q '^rule saturation:' "$T/dry.txt"     # so the parameter values of both are compared
    grep -q '^rule patterns:' "$T/dry.txt"
    run $PY "$CHECK" run "$T/w" --bin "$BIN" --data "$BATS_FILE_TMPDIR/data" \
        --regions "$BATS_FILE_TMPDIR/reg60.bed" --snakemake-dryrun "$T/dry.txt"
    assert_success
    assert_line "# 14 module scripts ran, every command follows workflows/stages.yaml"
    assert_line --partial "# convertmodel (convertmodel): coopmap-convert-model model.pth --heads MAX,FOXA1"
    assert_line --regexp "^# saturation \(saturation\): coopmap-ism --saturation --model demo.grammar --genome genome.fa --regions reg60.bed +--threads 2 -o main.saturation.tsv.gz$"
    W="$T/w"
    cmp "$W/scanmerge/scan.sites.tsv" "$S/scan/sites.tsv"          # scan --text has no '#' line
    cmp <(body "$W/pairs/main.pairs.tsv") <(body "$S/pairs/pairs.tsv")
    cmp <(body "$W/pairs/main.sources.tsv") <(body "$S/pairs/sources.tsv")
    cmp <(body "$W/ismmerge/main.effects.tsv") <(body "$S/ism/effects.tsv")
    cmp <(body "$W/stats/main.cooperativity.tsv") <(body "$S/stats/cooperativity.tsv")
    cmp <(body "$W/stats/main.cooperativity_matrix.tsv") <(body "$S/stats/cooperativity_matrix.tsv")
    grep -q '^ELF1	1	1	0	NA	1$' "$W/family/compare.family_jos.tsv"
    # saturation -> patterns -> annotation -> JOS equal Snakemake's
    [ -s "$S/patterns/jos.tsv" ]
    cmp <(zcat "$W/saturation/main.saturation.tsv.gz" | body /dev/stdin) <(zcat "$S/ism/saturation.tsv.gz" | body /dev/stdin)
    [ "$(zcat "$W/saturation/main.saturation.tsv.gz" | body /dev/stdin | wc -l)" -eq 360001 ]   # 60 x 500 bp x 3 alts x 4 heads
    for f in patterns.meme patterns.tsv cwm.tsv seqlets.bed; do
        cmp <(body "$W/patterns/main.patterns/$f") <(body "$S/patterns/$f")
    done
    cmp <(body "$W/patternscompare/main.patterns_tomtom.tsv") <(body "$S/patterns/tomtom.tsv")
    cmp <(body "$W/patternsjos/main.patterns_jos.tsv") <(body "$S/patterns/jos.tsv")
    grep -q '^ELF1_pos_0	ELF1	' "$W/patternscompare/main.patterns_tomtom.tsv"
}

@test "nextflow: the saturation module renders stage saturation's command line exactly; a drifted copy fails" {
    need_groovy
    local M="$NFD/modules/coopmap/saturation/main.nf"
    run $PY "$CHECK" command --cpus 3 --id main "$M" model=model.cmm genome=genome.fa \
        genome_index=genome.fa.fai regions=regions.bed
    assert_success
    local want
    want=$(cd "$REPO/workflows" && $PY -c 'import stages; print(stages.render(stages.load(), "saturation",
        model="model.cmm", genome="genome.fa", regions="regions.bed", threads=3, saturation="main.saturation.tsv.gz"))')
    [ "$want" = "coopmap-ism --saturation --model model.cmm --genome genome.fa --regions regions.bed --threads 3 -o main.saturation.tsv.gz" ]
    assert_output "$want"
    run $PY "$CHECK" drift "$M" saturation
    assert_success
    sed 's/coopmap-ism --saturation /coopmap-ism /' "$M" > "$T/drifted.nf"
    run $PY "$CHECK" drift "$T/drifted.nf" saturation
    assert_failure
    assert_output --partial "DRIFT: $T/drifted.nf: stage saturation: the command does not follow stages.yaml"
}

@test "nextflow: main.nf chains saturation -> patterns -> annotation -> JOS per map with saturation_regions, through each map's ism model" {
    need_groovy
    touch "$T/genome.fa" "$T/genome.fa.fai" "$T/motifs.meme" "$T/peaks.bed" "$T/model.cmm" \
        "$T/regions.bed" "$T/sat.tsv.gz" "$T/ck.pth"
    printf 'name,cells,model,title,heads,input_length\nb,K562,%s,B map,MAX;FOXA1,200\n' "$T/ck.pth" > "$T/maps.csv"
    local base=(genome="$T/genome.fa" motifs="$T/motifs.meme" peaks="$T/peaks.bed" model="$T/model.cmm")
    # without saturation_regions or saturation: neither saturation nor patterns
    run $PY "$CHECK" dataflow "${base[@]}"
    assert_success
    assert_line --partial "COOPMAP_STATS main: "
    refute_output --partial "COOPMAP_SATURATION"
    refute_output --partial "COOPMAP_PATTERNS"
    # saturation_regions, two maps (one a checkpoint): each map's saturation runs through the
    # model its ism uses, and its table feeds its patterns, annotation and JOS
    run $PY "$CHECK" dataflow "${base[@]}" maps="$T/maps.csv" saturation_regions="$T/regions.bed"
    assert_success
    assert_line "COOPMAP_SATURATION main: model=model.cmm genome=genome.fa genome_index=[genome.fa.fai] regions=regions.bed"
    assert_line "COOPMAP_SATURATION b: model=COOPMAP_CONVERTMODEL(b):*.cmm genome=genome.fa genome_index=[genome.fa.fai] regions=regions.bed"
    for m in main b; do
        local ism sat
        ism=$(grep "^COOPMAP_ISM $m: " <<< "$output" | grep -o ' model=[^ ]*')
        sat=$(grep "^COOPMAP_SATURATION $m: " <<< "$output" | grep -o ' model=[^ ]*')
        [ -n "$ism" ] && [ "$ism" = "$sat" ]
        assert_line "COOPMAP_PATTERNS $m: saturation=COOPMAP_SATURATION($m):*.saturation.tsv.gz genome=genome.fa genome_index=[genome.fa.fai]"
        assert_line "COOPMAP_PATTERNSCOMPARE $m: queries=COOPMAP_PATTERNS($m):*.patterns/patterns.meme targets=motifs.meme"
        assert_line "COOPMAP_PATTERNSJOS $m: labels=COOPMAP_PATTERNS($m):*.patterns/patterns.tsv matches=COOPMAP_PATTERNSCOMPARE($m):*.patterns_tomtom.tsv"
    done
    [ "$(grep -c '^COOPMAP_PATTERNS ' <<< "$output")" -eq 2 ]
    # --saturation TABLE still works, without a saturation step
    run $PY "$CHECK" dataflow "${base[@]}" saturation="$T/sat.tsv.gz"
    assert_success
    refute_output --partial "COOPMAP_SATURATION"
    assert_line "COOPMAP_PATTERNS patterns: saturation=sat.tsv.gz genome=genome.fa genome_index=[genome.fa.fai]"
    # both is an error, before any process runs
    run $PY "$CHECK" dataflow "${base[@]}" saturation="$T/sat.tsv.gz" saturation_regions="$T/regions.bed"
    assert_failure
    assert_output "ERROR: give --saturation (a saturation table) or --saturation_regions (a BED to mutate through each map's model), not both"
    # the mock catches a main.nf that drops the chain or passes the module a wrong tuple
    cp -r "$NFD" "$T/nf"
    sed -i 's/ch_saturation = COOPMAP_SATURATION.out.saturation/ch_saturation = Channel.empty()/' "$T/nf/main.nf"
    grep -q 'ch_saturation = Channel.empty()' "$T/nf/main.nf"
    run $PY "$CHECK" dataflow --main "$T/nf/main.nf" "${base[@]}" saturation_regions="$T/regions.bed"
    assert_success
    refute_output --partial "COOPMAP_PATTERNS main:"
    cp "$NFD/main.nf" "$T/nf/main.nf"
    sed -i 's/\[m, model, genome, gidx, regions\]/[m, model, genome, regions]/' "$T/nf/main.nf"
    run $PY "$CHECK" dataflow --main "$T/nf/main.nf" "${base[@]}" saturation_regions="$T/regions.bed"
    assert_failure
    assert_output --partial "ERROR: COOPMAP_SATURATION: input tuple of 5 (meta, model, genome, genome_index, regions), got "
}

@test "nextflow: a module whose command leaves the stage table fails the drift check" {
    need_groovy
    run $PY "$CHECK" drift "$NFD/modules/coopmap/stats/main.nf" stats
    assert_success
    sed 's/--long /--table /' "$NFD/modules/coopmap/stats/main.nf" > "$T/drifted.nf"
    run $PY "$CHECK" drift "$T/drifted.nf" stats
    assert_failure
    assert_output --partial "DRIFT: $T/drifted.nf: stage stats: the command does not follow stages.yaml"
}

@test "nextflow: modules are nf-core style (meta.yml, environment.yml, conda, container, versions, ext.args); main.nf includes them; every profile exists" {
    run $PY - "$NFD" <<'PY'
import glob, os, re, sys, yaml
nfd = sys.argv[1]
mods = sorted(glob.glob(os.path.join(nfd, "modules", "coopmap", "*", "main.nf")))
names = {os.path.basename(os.path.dirname(m)) for m in mods}
assert {"scan", "pairs", "ism", "stats", "compare", "family", "saturation", "patterns"} <= names, names
main = open(os.path.join(nfd, "main.nf")).read()
for m in mods:
    d, text = os.path.dirname(m), open(m).read()
    name = os.path.basename(d)
    for pat in (r"tuple val\(meta\)", r"task\.ext\.args", r'path "versions\.yml", emit: versions',
                r'conda "\$\{moduleDir\}/environment\.yml"', r"\n    container ", r"\n    stub:\n", r"label '"):
        assert re.search(pat, text), f"{m}: no {pat}"
    meta = yaml.safe_load(open(os.path.join(d, "meta.yml")))
    for k in ("name", "description", "keywords", "tools", "input", "output", "authors"):
        assert meta.get(k), f"{d}/meta.yml: no {k}"
    assert any("versions" in o for o in meta["output"]), d
    env = yaml.safe_load(open(os.path.join(d, "environment.yml")))
    assert all(re.search(r"=\d", x) for x in env["dependencies"]), env
    proc = re.search(r"^process (\w+)", text, re.M).group(1)
    assert re.search(r"include \{ " + proc + r" +\} from './modules/coopmap/" + name + "/main'", main), proc
conf = open(os.path.join(nfd, "nextflow.config")).read()
for p in ("standard", "conda", "docker", "podman", "apptainer", "slurm", "awsbatch", "test"):
    assert re.search(r"\n    " + p + r" \{", conf), f"no profile {p}"
print(f"# {len(mods)} modules checked")
PY
    assert_success
    assert_output --regexp "# (9|1[0-9]) modules checked"
}
