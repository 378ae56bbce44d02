# Localize sites in labelled peaks and enumerate TF pairs with their model windows.
rule pairs:
    input:
        sites=f"{OUT}/scan/sites.tsv",
        peaks=path(config["peaks"]),
        model=MODEL,
        genome=path(config["genome"]),
    output:
        pairs=f"{OUT}/pairs/pairs.tsv",
        sources=f"{OUT}/pairs/sources.tsv",
    params:
        cells=("--cells " + ",".join(config.get("cells", []))) if config.get("cells") else "",
        dist=section("pairs").get("max_distance", 500),
        window=(f"--window {section('pairs')['window']}" if section("pairs").get("window") else ""),
        overlap="--allow-overlap" if section("pairs").get("allow_overlap") else "",
        tool=tool("pairs"),
    log:
        f"{OUT}/logs/pairs.log",
    benchmark:
        f"{OUT}/benchmarks/pairs.tsv"
    threads: 1
    conda:
        os.path.join(ENVS, "coopmap.yaml")
    shell:
        "{params.tool} --peaks {input.peaks} {params.cells} --max-distance {params.dist} "
        "{params.window} {params.overlap} --model {input.model} --genome {input.genome} "
        "--sources {output.sources} -o {output.pairs} {input.sites} 2> {log}"
