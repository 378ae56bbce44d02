# Convert a PyTorch checkpoint (.pth) or numpy archive (.npz) into a coopmap model file.
if CONVERT:
    rule convert_model:
        input:
            MODEL_SRC,
        output:
            MODEL,
        params:
            heads=",".join(config["model"].get("heads", [])),
            length=config["model"].get("input_length", 200),
            script=os.path.join(SCRIPTS, "coopmap-convert-model"),
        log:
            f"{OUT}/logs/convert_model.log",
        benchmark:
            f"{OUT}/benchmarks/convert_model.tsv"
        threads: 1
        conda:
            os.path.join(ENVS, "coopmap.yaml")
        shell:
            "python3 {params.script} {input} --heads {params.heads} "
            "--input-length {params.length} -o {output} 2> {log}"
