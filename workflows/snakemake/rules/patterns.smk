# Patterns from each map's saturation table (coopmap-patterns, docs/patterns.md), with
# `patterns: {enabled: true}` and `saturation: {regions: BED}`: seqlets and PFM/CWM
# patterns per head and sign, their Tomtom-compatible annotation against the motif
# database (patterns.targets, default: motifs) and the Jaccard Overlap Score per head
# (coopmap-family jos, labels = the patterns.tsv columns pattern and head): the EpiBinder
# study's model -> patterns -> annotation -> JOS chain.  DO_PATTERNS and the outputs are
# set in rules/common.smk.
RESOURCE_DEFAULTS.update({"patterns": (4000, 60), "patterns_compare": (2000, 30),
                          "patterns_jos": (1000, 15)})

if DO_PATTERNS:
    rule patterns:
        input:
            genome=path(config["genome"]),
            saturation="{mapdir}/ism/saturation.tsv.gz",
        output:
            meme="{mapdir}/patterns/patterns.meme",
            tsv="{mapdir}/patterns/patterns.tsv",
            cwm="{mapdir}/patterns/cwm.tsv",
            bed="{mapdir}/patterns/seqlets.bed",
        params:
            cmd=lambda wildcards, input, output, threads: render(
                "patterns", genome=input.genome, window=section("patterns").get("window", 15),
                flank=section("patterns").get("flank", 5), fdr=section("patterns").get("fdr", 0.05),
                seed=section("patterns").get("seed", 1),
                min_seqlets=section("patterns").get("min_seqlets", 10), threads=threads,
                outdir=os.path.dirname(output.meme), saturation=input.saturation),
        log:
            "{mapdir}/logs/patterns.log",
        benchmark:
            "{mapdir}/benchmarks/patterns.tsv"
        threads: THREADS
        resources:
            mem_mb=mem_mb("patterns"),
            runtime=runtime("patterns"),
        conda:
            os.path.join(ENVS, "coopmap.yaml")
        shell:
            "{params.cmd} 2> {log}"

    rule patterns_compare:
        input:
            queries="{mapdir}/patterns/patterns.meme",
            targets=path(section("patterns").get("targets") or config["motifs"]),
        output:
            "{mapdir}/patterns/tomtom.tsv",
        params:
            cmd=lambda wildcards, input, output, threads: render(
                "patterns_compare", dist=section("patterns").get("dist", "ed"),
                thresh=section("patterns").get("compare_thresh", 0.5), threads=threads,
                matches=output[0], queries=input.queries, targets=input.targets),
        log:
            "{mapdir}/logs/patterns_compare.log",
        benchmark:
            "{mapdir}/benchmarks/patterns_compare.tsv"
        threads: THREADS
        resources:
            mem_mb=mem_mb("patterns_compare"),
            runtime=runtime("patterns_compare"),
        conda:
            os.path.join(ENVS, "coopmap.yaml")
        shell:
            "{params.cmd} 2> {log}"

    rule patterns_jos:
        input:
            labels="{mapdir}/patterns/patterns.tsv",
            matches="{mapdir}/patterns/tomtom.tsv",
        output:
            "{mapdir}/patterns/jos.tsv",
        params:
            cmd=lambda wildcards, input, output: render(
                "patterns_jos", labels=input.labels,
                thresh=section("patterns").get("jos_thresh", 0.05), jos=output[0],
                matches=input.matches),
        log:
            "{mapdir}/logs/patterns_jos.log",
        benchmark:
            "{mapdir}/benchmarks/patterns_jos.tsv"
        threads: 1
        resources:
            mem_mb=mem_mb("patterns_jos"),
            runtime=runtime("patterns_jos"),
        conda:
            os.path.join(ENVS, "coopmap.yaml")
        shell:
            "{params.cmd} 2> {log}"
