# Motif scanning (FIMO-compatible) over the whole genome FASTA.
rule scan:
    input:
        motifs=path(config["motifs"]),
        genome=path(config["genome"]),
    output:
        f"{OUT}/scan/sites.tsv",
    params:
        thresh=section("scan").get("thresh", 1e-4),
        bfile=section("scan").get("bfile", "--nrdb--"),
        pseudo=section("scan").get("motif_pseudo", 0.1),
        tool=tool("scan"),
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
