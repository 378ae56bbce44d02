# Convert a map's PyTorch checkpoint (.pth) or numpy archive (.npz) into a coopmap model
# file under the map's folder ({mapdir}/model/model.cmm).
rule convert_model:
    input:
        lambda wildcards: model_src(map_of(wildcards)),
    output:
        "{mapdir}/model/model.cmm",
    params:
        cmd=lambda wildcards, input, output: render(
            "convert_model", checkpoint=input[0], heads=map_of(wildcards)["heads"],
            input_length=map_of(wildcards)["input_length"], model=output[0]),
    log:
        "{mapdir}/logs/convert_model.log",
    benchmark:
        "{mapdir}/benchmarks/convert_model.tsv"
    threads: 1
    resources:
        mem_mb=mem_mb("convert_model"),
        runtime=runtime("convert_model"),
    conda:
        os.path.join(ENVS, "coopmap.yaml")
    shell:
        "{params.cmd} 2> {log}"
