# Several cooperativity maps over one shared scan (config key `maps`): each map has its
# own cells, model and title; pairs -> ism -> stats go to OUT/maps/NAME/..., with logs
# and benchmarks under OUT/maps/NAME/{logs,benchmarks}/. A map model given as a .pth /
# .npz checkpoint (with `heads`) is converted into OUT/maps/NAME/model/model.cmm.
import re

# MAPS (name -> map) and MAP_OUTPUTS are defined in the Snakefile (rule all needs them).


def map_model_src(name):
    return path(MAPS[name]["model"])


def map_converts(name):
    return map_model_src(name).endswith((".pth", ".pt", ".npz"))


def map_model(name):
    return f"{OUT}/maps/{name}/model/model.cmm" if map_converts(name) else map_model_src(name)


if MAPS:
    wildcard_constraints:
        map="|".join(re.escape(n) for n in MAPS),

    rule map_convert_model:
        input:
            lambda w: map_model_src(w.map),
        output:
            f"{OUT}/maps/{{map}}/model/model.cmm",
        params:
            heads=lambda w: ",".join(MAPS[w.map].get("heads", [])),
            length=lambda w: MAPS[w.map].get("input_length", 200),
            script=os.path.join(SCRIPTS, "coopmap-convert-model"),
        log:
            f"{OUT}/maps/{{map}}/logs/convert_model.log",
        benchmark:
            f"{OUT}/maps/{{map}}/benchmarks/convert_model.tsv"
        threads: 1
        conda:
            os.path.join(ENVS, "coopmap.yaml")
        shell:
            "python3 {params.script} {input} --heads {params.heads} "
            "--input-length {params.length} -o {output} 2> {log}"

    rule map_pairs:
        input:
            sites=f"{OUT}/scan/sites.tsv",
            peaks=path(config["peaks"]),
            model=lambda w: map_model(w.map),
            genome=path(config["genome"]),
        output:
            pairs=f"{OUT}/maps/{{map}}/pairs/pairs.tsv",
            sources=f"{OUT}/maps/{{map}}/pairs/sources.tsv",
        params:
            cells=lambda w: ("--cells " + ",".join(MAPS[w.map]["cells"])) if MAPS[w.map].get("cells") else "",
            dist=section("pairs").get("max_distance", 500),
            window=(f"--window {section('pairs')['window']}" if section("pairs").get("window") else ""),
            overlap="--allow-overlap" if section("pairs").get("allow_overlap") else "",
            tool=tool("pairs"),
        log:
            f"{OUT}/maps/{{map}}/logs/pairs.log",
        benchmark:
            f"{OUT}/maps/{{map}}/benchmarks/pairs.tsv"
        threads: 1
        conda:
            os.path.join(ENVS, "coopmap.yaml")
        shell:
            "{params.tool} --peaks {input.peaks} {params.cells} --max-distance {params.dist} "
            "{params.window} {params.overlap} --model {input.model} --genome {input.genome} "
            "--sources {output.sources} -o {output.pairs} {input.sites} 2> {log}"

    rule map_ism:
        input:
            pairs=f"{OUT}/maps/{{map}}/pairs/pairs.tsv",
            sources=f"{OUT}/maps/{{map}}/pairs/sources.tsv",
            model=lambda w: map_model(w.map),
            genome=path(config["genome"]),
        output:
            f"{OUT}/maps/{{map}}/ism/effects.tsv",
        params:
            draws=section("ism").get("draws", 10),
            seed=section("ism").get("seed", 1),
            scale=section("ism").get("scale", "prob"),
            knockout=section("ism").get("knockout", "random"),
            tool=tool("ism"),
        log:
            f"{OUT}/maps/{{map}}/logs/ism.log",
        benchmark:
            f"{OUT}/maps/{{map}}/benchmarks/ism.tsv"
        threads: THREADS
        conda:
            os.path.join(ENVS, "coopmap.yaml")
        shell:
            "{params.tool} --model {input.model} --genome {input.genome} "
            "--sources {input.sources} --pairs {input.pairs} --draws {params.draws} "
            "--seed {params.seed} --scale {params.scale} --knockout {params.knockout} "
            "--threads {threads} -o {output} 2> {log}"

    rule map_stats:
        input:
            f"{OUT}/maps/{{map}}/ism/effects.tsv",
        output:
            long=f"{OUT}/maps/{{map}}/stats/cooperativity.tsv",
            matrix=f"{OUT}/maps/{{map}}/stats/cooperativity_matrix.tsv",
            svg=f"{OUT}/maps/{{map}}/stats/heatmap.svg",
        params:
            alpha=section("stats").get("alpha", 0.05),
            title=lambda w: MAPS[w.map].get("title") or f"TF–TF cooperativity: {w.map}",
            tool=tool("stats"),
        log:
            f"{OUT}/maps/{{map}}/logs/stats.log",
        benchmark:
            f"{OUT}/maps/{{map}}/benchmarks/stats.tsv"
        threads: 1
        conda:
            os.path.join(ENVS, "coopmap.yaml")
        shell:
            "{params.tool} --alpha {params.alpha} --title {params.title:q} "
            "--long {output.long} --matrix {output.matrix} --svg {output.svg} {input} 2> {log}"
