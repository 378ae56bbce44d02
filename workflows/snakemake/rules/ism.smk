# In-silico knockouts through the model: self-effects (sources) and pair effects.
rule ism:
    input:
        pairs=f"{OUT}/pairs/pairs.tsv",
        sources=f"{OUT}/pairs/sources.tsv",
        model=MODEL,
        genome=path(config["genome"]),
    output:
        f"{OUT}/ism/effects.tsv",
    params:
        draws=section("ism").get("draws", 10),
        seed=section("ism").get("seed", 1),
        scale=section("ism").get("scale", "prob"),
        knockout=section("ism").get("knockout", "random"),
        tool=tool("ism"),
    log:
        f"{OUT}/logs/ism.log",
    benchmark:
        f"{OUT}/benchmarks/ism.tsv"
    threads: THREADS
    conda:
        os.path.join(ENVS, "coopmap.yaml")
    shell:
        "{params.tool} --model {input.model} --genome {input.genome} "
        "--sources {input.sources} --pairs {input.pairs} --draws {params.draws} "
        "--seed {params.seed} --scale {params.scale} --knockout {params.knockout} "
        "--threads {threads} -o {output} 2> {log}"
