# The run manifest, OUT/manifest.json (and the same as rows section/key/value in
# OUT/manifest.tsv, the report's run-info table), written after every final output
# (MANIFEST_INPUTS, rules/common.smk): tool versions and checksums, the effective config,
# checksums of every input and output, container and conda identity, the git commit.
# `scripts/coopmap-rerun OUT/manifest.json` checks the inputs and reruns the workflow from
# it, comparing every output byte for byte (docs/workflows.md, "Provenance").
from snakemake import __version__ as SNAKEMAKE_VERSION


rule manifest:
    input:
        MANIFEST_INPUTS,
    output:
        f"{OUT}/manifest.json",
        f"{OUT}/manifest.tsv",
    params:
        config=dict(config),
        inputs=manifest_inputs(),
        tools={n: tool(n).split()[-1] for n in
               ("scan", "pairs", "ism", "stats", "compare", "family", "convert-model")},
        repo=REPO,
        base=BASE,
        snakefile=os.path.join(REPO, "workflows", "snakemake", "Snakefile"),
        snakemake_version=SNAKEMAKE_VERSION,
    log:
        f"{OUT}/logs/manifest.log",
    benchmark:
        f"{OUT}/benchmarks/manifest.tsv"
    threads: 1
    resources:
        mem_mb=mem_mb("manifest"),
        runtime=runtime("manifest"),
    conda:
        os.path.join(ENVS, "coopmap.yaml")
    script:
        "../scripts/manifest.py"
