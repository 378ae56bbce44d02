# Localize sites in labelled peaks and enumerate TF pairs with their model windows,
# for each map ({mapdir}: OUT for `model`, OUT/maps/NAME for each of `maps`).
rule pairs:
    input:
        sites=f"{OUT}/scan/sites.tsv",
        peaks=path(config["peaks"]),
        model=map_model,
        genome=path(config["genome"]),
    output:
        pairs="{mapdir}/pairs/pairs.tsv",
        sources="{mapdir}/pairs/sources.tsv",
    params:
        cmd=pairs_cmd,
    log:
        "{mapdir}/logs/pairs.log",
    benchmark:
        "{mapdir}/benchmarks/pairs.tsv"
    threads: 1
    resources:
        mem_mb=mem_mb("pairs"),
        runtime=runtime("pairs"),
    conda:
        os.path.join(ENVS, "coopmap.yaml")
    shell:
        "{params.cmd} 2> {log}"
