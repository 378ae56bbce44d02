# Motif scanning (FIMO-compatible) over the whole genome FASTA.  With scan.shards = N > 1
# the motifs are cut into N consecutive slices (coopmap-scan --shard K/N), one job each,
# and coopmap-scan --merge concatenates them: FIMO --text order is motif-major, so the
# merged sites.tsv is byte-identical to the unsharded one, for any genome.
rule scan:
    input:
        motifs=path(config["motifs"]),
        genome=path(config["genome"]),
    output:
        temp(f"{OUT}/scan/shards/{{i}}.tsv") if SCAN_SHARDS > 1 else f"{OUT}/scan/sites.tsv",
    params:
        cmd=scan_cmd,
    log:
        f"{OUT}/logs/scan_shard_{{i}}.log" if SCAN_SHARDS > 1 else f"{OUT}/logs/scan.log",
    benchmark:
        f"{OUT}/benchmarks/scan_shard_{{i}}.tsv" if SCAN_SHARDS > 1 else f"{OUT}/benchmarks/scan.tsv"
    threads: THREADS
    resources:
        mem_mb=mem_mb("scan"),
        runtime=runtime("scan"),
    conda:
        os.path.join(ENVS, "coopmap.yaml")
    shell:
        "{params.cmd} 2> {log}"


if SCAN_SHARDS > 1:
    rule scan_merge:
        input:
            [f"{OUT}/scan/shards/{i}.tsv" for i in range(1, SCAN_SHARDS + 1)],
        output:
            f"{OUT}/scan/sites.tsv",
        params:
            cmd=lambda wildcards, input, output: render("scan_merge", sites=output[0], shards=list(input)),
        log:
            f"{OUT}/logs/scan.log",
        benchmark:
            f"{OUT}/benchmarks/scan.tsv"
        threads: 1
        resources:
            mem_mb=mem_mb("scan_merge"),
            runtime=runtime("scan_merge"),
        conda:
            os.path.join(ENVS, "coopmap.yaml")
        shell:
            "{params.cmd} 2> {log}"
