# t-tests, Benjamini-Hochberg, cooperativity tables and heatmap.
rule stats:
    input:
        f"{OUT}/ism/effects.tsv",
    output:
        long=f"{OUT}/stats/cooperativity.tsv",
        matrix=f"{OUT}/stats/cooperativity_matrix.tsv",
        svg=f"{OUT}/stats/heatmap.svg",
    params:
        alpha=section("stats").get("alpha", 0.05),
        title=section("stats").get("title", "TF–TF cooperativity"),
        tool=tool("stats"),
    log:
        f"{OUT}/logs/stats.log",
    benchmark:
        f"{OUT}/benchmarks/stats.tsv"
    threads: 1
    conda:
        os.path.join(ENVS, "coopmap.yaml")
    shell:
        "{params.tool} --alpha {params.alpha} --title {params.title:q} "
        "--long {output.long} --matrix {output.matrix} --svg {output.svg} {input} 2> {log}"
