# In-silico knockouts through each map's model: self-effects (sources) and pair effects.
# With ism.shards = N > 1 the rows (sources, then pairs) are cut into N consecutive
# slices (coopmap-ism --shard K/N), one job each, and coopmap-ism --merge concatenates
# them: every value depends only on its row (counter-based RNG keyed by the row id), so
# the merged effects.tsv is byte-identical to the unsharded one.
rule ism:
    input:
        pairs="{mapdir}/pairs/pairs.tsv",
        sources="{mapdir}/pairs/sources.tsv",
        model=map_model,
        genome=path(config["genome"]),
    output:
        temp("{mapdir}/ism/shards/{i}.tsv") if ISM_SHARDS > 1 else "{mapdir}/ism/effects.tsv",
    params:
        cmd=ism_cmd,
    log:
        "{mapdir}/logs/ism_shard_{i}.log" if ISM_SHARDS > 1 else "{mapdir}/logs/ism.log",
    benchmark:
        "{mapdir}/benchmarks/ism_shard_{i}.tsv" if ISM_SHARDS > 1 else "{mapdir}/benchmarks/ism.tsv"
    threads: THREADS
    resources:
        mem_mb=mem_mb("ism"),
        runtime=runtime("ism"),
    conda:
        os.path.join(ENVS, "coopmap.yaml")
    shell:
        "{params.cmd} 2> {log}"


if ISM_SHARDS > 1:
    rule ism_merge:
        input:
            expand("{{mapdir}}/ism/shards/{i}.tsv", i=range(1, ISM_SHARDS + 1)),
        output:
            "{mapdir}/ism/effects.tsv",
        params:
            cmd=lambda wildcards, input, output: render("ism_merge", effects=output[0], shards=list(input)),
        log:
            "{mapdir}/logs/ism.log",
        benchmark:
            "{mapdir}/benchmarks/ism.tsv"
        threads: 1
        resources:
            mem_mb=mem_mb("ism_merge"),
            runtime=runtime("ism_merge"),
        conda:
            os.path.join(ENVS, "coopmap.yaml")
        shell:
            "{params.cmd} 2> {log}"


# Saturation mutagenesis of the configured regions (saturation.regions, a BED) through
# each map's model, for the report's tracks: every single-base substitution, one row per
# alt and head (coopmap-ism --saturation; BGZF output).
if DO_SATURATION:
    rule saturation:
        input:
            model=map_model,
            genome=path(config["genome"]),
            regions=path(section("saturation")["regions"]),
        output:
            "{mapdir}/ism/saturation.tsv.gz",
        params:
            cmd=lambda wildcards, input, output, threads: render(
                "saturation", model=input.model, genome=input.genome, regions=input.regions,
                threads=threads, saturation=output[0]),
        log:
            "{mapdir}/logs/saturation.log",
        benchmark:
            "{mapdir}/benchmarks/saturation.tsv"
        threads: THREADS
        resources:
            mem_mb=mem_mb("saturation"),
            runtime=runtime("saturation"),
        conda:
            os.path.join(ENVS, "coopmap.yaml")
        shell:
            "{params.cmd} 2> {log}"
