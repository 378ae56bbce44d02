# Tomtom-compatible comparison of query patterns against a motif database, and, with
# compare.labels (pattern id -> TF), the Jaccard Overlap Score of each TF's patterns.
if DO_COMPARE:
    rule compare:
        input:
            queries=path(section("compare")["queries"]),
            targets=path(section("compare").get("targets") or config["motifs"]),
        output:
            f"{OUT}/compare/matches.tsv",
        params:
            cmd=lambda wildcards, input, output, threads: render(
                "compare", dist=section("compare").get("dist", "ed"),
                min_overlap=section("compare").get("min_overlap", 1),
                evalue=bool(section("compare").get("evalue")),
                thresh=section("compare").get("thresh", 0.5), threads=threads,
                matches=output[0], queries=input.queries, targets=input.targets),
        log:
            f"{OUT}/logs/compare.log",
        benchmark:
            f"{OUT}/benchmarks/compare.tsv"
        threads: THREADS
        resources:
            mem_mb=mem_mb("compare"),
            runtime=runtime("compare"),
        conda:
            os.path.join(ENVS, "coopmap.yaml")
        shell:
            "{params.cmd} 2> {log}"

if DO_FAMILY:
    rule family:
        input:
            labels=path(section("compare")["labels"]),
            matches=f"{OUT}/compare/matches.tsv",
        output:
            f"{OUT}/compare/family_jos.tsv",
        params:
            cmd=lambda wildcards, input, output: render(
                "family", labels=input.labels, thresh=section("compare").get("jos_thresh", 0.05),
                jos=output[0], matches=input.matches),
        log:
            f"{OUT}/logs/family.log",
        benchmark:
            f"{OUT}/benchmarks/family.tsv"
        threads: 1
        resources:
            mem_mb=mem_mb("family"),
            runtime=runtime("family"),
        conda:
            os.path.join(ENVS, "coopmap.yaml")
        shell:
            "{params.cmd} 2> {log}"
