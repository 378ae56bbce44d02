# t-tests, Benjamini-Hochberg, cooperativity tables and heatmap, for each map.
rule stats:
    input:
        "{mapdir}/ism/effects.tsv",
    output:
        long="{mapdir}/stats/cooperativity.tsv",
        matrix="{mapdir}/stats/cooperativity_matrix.tsv",
        svg="{mapdir}/stats/heatmap.svg",
    params:
        cmd=lambda wildcards, input, output: render(
            "stats", alpha=section("stats").get("alpha", 0.05), test=nondefault("stats", "test", "t"),
            correction=nondefault("stats", "correction", "bh"),
            cluster=bool(section("stats").get("cluster")), title=map_of(wildcards)["title"],
            long=output.long, matrix=output.matrix, svg=output.svg, effects=input[0]),
    log:
        "{mapdir}/logs/stats.log",
    benchmark:
        "{mapdir}/benchmarks/stats.tsv"
    threads: 1
    resources:
        mem_mb=mem_mb("stats"),
        runtime=runtime("stats"),
    conda:
        os.path.join(ENVS, "coopmap.yaml")
    shell:
        "{params.cmd} 2> {log}"
