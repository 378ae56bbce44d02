# Tomtom-compatible comparison of query patterns against a motif database.
if DO_COMPARE:
    rule compare:
        input:
            queries=path(section("compare")["queries"]),
            targets=path(section("compare").get("targets") or config["motifs"]),
        output:
            f"{OUT}/compare/matches.tsv",
        params:
            dist=section("compare").get("dist", "ed"),
            min_overlap=section("compare").get("min_overlap", 1),
            thresh=section("compare").get("thresh", 0.5),
            evalue="-evalue" if section("compare").get("evalue") else "",
            tool=tool("compare"),
        log:
            f"{OUT}/logs/compare.log",
        benchmark:
            f"{OUT}/benchmarks/compare.tsv"
        threads: THREADS
        conda:
            os.path.join(ENVS, "coopmap.yaml")
        shell:
            "{params.tool} -dist {params.dist} -min-overlap {params.min_overlap} "
            "{params.evalue} -thresh {params.thresh} --threads {threads} -o {output} "
            "{input.queries} {input.targets} 2> {log}"
