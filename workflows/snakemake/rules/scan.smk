# Motif scanning (FIMO-compatible) over the whole genome FASTA. With scan.shards > 1
# the sequences of the genome's .fai are split into that many shards of about equal
# size (largest first, each to the lightest shard), each shard is scanned through
# --regions, and the shard outputs are concatenated (one header kept). Downstream
# stages sort what they read, so pairs.tsv and everything after it are identical
# with or without sharding.
SCAN_SHARDS = int(section("scan").get("shards", 1))


def shard_plan(fai, n):
    """Sequence names per shard: greedy balance by length, deterministic."""
    seqs = []
    with open(fai) as f:
        for line in f:
            name, length = line.split("\t")[:2]
            seqs.append((int(length), name))
    seqs.sort(key=lambda x: (-x[0], x[1]))
    load, plan = [0] * n, [[] for _ in range(n)]
    for length, name in seqs:
        i = min(range(n), key=lambda k: (load[k], k))
        load[i] += length
        plan[i].append((name, length))
    return plan


SCAN_PARAMS = dict(
    thresh=section("scan").get("thresh", 1e-4),
    bfile=section("scan").get("bfile", "--nrdb--"),
    pseudo=section("scan").get("motif_pseudo", 0.1),
    tool=tool("scan"),
)

if SCAN_SHARDS <= 1:
    rule scan:
        input:
            motifs=path(config["motifs"]),
            genome=path(config["genome"]),
        output:
            f"{OUT}/scan/sites.tsv",
        params:
            **SCAN_PARAMS,
        log:
            f"{OUT}/logs/scan.log",
        benchmark:
            f"{OUT}/benchmarks/scan.tsv"
        threads: THREADS
        conda:
            os.path.join(ENVS, "coopmap.yaml")
        shell:
            "{params.tool} --text --thresh {params.thresh} --bfile {params.bfile} "
            "--motif-pseudo {params.pseudo} --threads {threads} -o {output} "
            "{input.motifs} {input.genome} 2> {log}"
else:
    SHARD_PLAN = shard_plan(path(config["genome"]) + ".fai", SCAN_SHARDS)

    rule scan_shard_regions:
        output:
            f"{OUT}/scan/shards/{{i}}.bed",
        params:
            lines=lambda w: "".join(f"{n}\t0\t{l}\t{n}\n" for n, l in SHARD_PLAN[int(w.i)]),
        run:
            with open(output[0], "w") as f:
                f.write(params.lines)

    rule scan_shard:
        input:
            motifs=path(config["motifs"]),
            genome=path(config["genome"]),
            regions=f"{OUT}/scan/shards/{{i}}.bed",
        output:
            temp(f"{OUT}/scan/shards/{{i}}.tsv"),
        params:
            **SCAN_PARAMS,
        log:
            f"{OUT}/logs/scan_shard_{{i}}.log",
        benchmark:
            f"{OUT}/benchmarks/scan_shard_{{i}}.tsv"
        threads: THREADS
        conda:
            os.path.join(ENVS, "coopmap.yaml")
        shell:
            "{params.tool} --text --thresh {params.thresh} --bfile {params.bfile} "
            "--motif-pseudo {params.pseudo} --threads {threads} --regions {input.regions} "
            "--genome {input.genome} -o {output} {input.motifs} 2> {log}"

    rule scan:
        input:
            [f"{OUT}/scan/shards/{i}.tsv" for i in range(SCAN_SHARDS) if SHARD_PLAN[i]],
        output:
            f"{OUT}/scan/sites.tsv",
        log:
            f"{OUT}/logs/scan.log",
        benchmark:
            f"{OUT}/benchmarks/scan.tsv"
        threads: 1
        conda:
            os.path.join(ENVS, "coopmap.yaml")
        shell:
            "awk '/^motif_id\t/ {{ if (h++) next }} {{ print }}' {input} > {output} 2> {log}"
