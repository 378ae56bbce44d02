# Shared definitions of the coopmap rules: paths, the maps to make, the stage command
# table, resources.  Included first by the Snakefile.
import re

BASE = os.path.abspath(config.get("base", REPO))
OUT = config.get("outdir", "results")
THREADS = int(config.get("threads", 2))
_bin = config.get("bin_dir", os.path.join(REPO, "bin"))
BIN = (os.path.join(BASE, _bin) if _bin and not os.path.isabs(_bin) else _bin)
ENVS = os.path.join(REPO, "envs")
SCRIPTS = os.path.join(REPO, "scripts")
STAGES = stage_table.load()


def path(p):
    """An input path from the config, resolved against BASE."""
    return p if os.path.isabs(p) else os.path.join(BASE, p)


def section(name):
    return config.get(name) or {}


def nondefault(sec, key, default):
    """A config value, or None when it is the default (the option is then not rendered,
    as the Nextflow modules and the wrappers leave it out)."""
    v = section(sec).get(key)
    return None if v is None or v == default else v


def tool(name):
    """The first word of a stage's command: the coopmap tool, under bin_dir if given."""
    if name == "convert-model":   # a Python script of the repository, run by the env's python3
        return f"python3 {SCRIPTS}/coopmap-convert-model"
    return os.path.join(BIN, f"coopmap-{name}") if BIN else f"coopmap-{name}"


def render(stage, **values):
    """The command line of a stage of workflows/stages.yaml, with its tool resolved."""
    return stage_table.render(STAGES, stage, tool=tool(STAGES[stage]["command"].split()[0][8:]),
                              **values)


# Resources of each rule: defaults here, overridden by the config's `resources:`
# (mem_mb: MiB, runtime: minutes), e.g. resources: {ism: {mem_mb: 8000, runtime: 600}}.
RESOURCE_DEFAULTS = {
    "scan": (2000, 120), "scan_merge": (500, 10), "convert_model": (4000, 30),
    "pairs": (2000, 30), "ism": (4000, 240), "ism_merge": (500, 10), "stats": (1000, 15),
    "compare": (2000, 60), "family": (1000, 15), "manifest": (500, 15), "saturation": (4000, 60),
    "report": (2000, 15),
}


def mem_mb(stage):
    return int(section("resources").get(stage, {}).get("mem_mb", RESOURCE_DEFAULTS[stage][0]))


def runtime(stage):
    return int(section("resources").get(stage, {}).get("runtime", RESOURCE_DEFAULTS[stage][1]))


# The maps: `model` (+ top-level `cells`) is one map whose outputs are OUT/pairs,
# OUT/ism, OUT/stats; each entry of `maps` is one more, under OUT/maps/NAME/.  MAP_DIR
# gives a map's output folder; the rules take the map name as wildcard {map} ("main"
# for the single map) and the folder through it.
MAPS = {}
if config.get("model"):
    m = config["model"]
    MAPS["main"] = dict(model=m["file"], heads=m.get("heads", []),
                        input_length=m.get("input_length", 200), cells=config.get("cells", []),
                        title=section("stats").get("title", "TF–TF cooperativity"), dir=OUT)
for m in config.get("maps") or []:
    if m["name"] in MAPS:
        raise ValueError(f"config: maps: the name '{m['name']}' repeats (or is 'main')")
    MAPS[m["name"]] = dict(model=m["model"], heads=m.get("heads", []),
                           input_length=m.get("input_length", 200), cells=m.get("cells", []),
                           title=m.get("title") or f"TF–TF cooperativity: {m['name']}",
                           dir=f"{OUT}/maps/{m['name']}")
if not MAPS:
    raise ValueError("config: give `model` (one map) or `maps` (several), or both")
MAP_DIR = {n: m["dir"] for n, m in MAPS.items()}
DIR_MAP = {m["dir"]: n for n, m in MAPS.items()}

wildcard_constraints:
    mapdir="|".join(re.escape(d) for d in DIR_MAP),
    i="[0-9]{1,6}",


def map_of(wildcards):
    return MAPS[DIR_MAP[wildcards.mapdir]]


def model_src(m):
    return path(m["model"])


def converts(m):
    return model_src(m).endswith((".pth", ".pt", ".npz"))


def map_model(wildcards):
    m = map_of(wildcards)
    return f"{m['dir']}/model/model.cmm" if converts(m) else model_src(m)


MAP_FILES = ("pairs/pairs.tsv", "pairs/sources.tsv", "ism/effects.tsv", "stats/cooperativity.tsv",
             "stats/cooperativity_matrix.tsv", "stats/heatmap.svg")
DO_COMPARE = bool(section("compare").get("queries"))
DO_FAMILY = DO_COMPARE and bool(section("compare").get("labels"))
FINAL_OUTPUTS = [
    f"{OUT}/scan/sites.tsv",
    *[f"{m['dir']}/{f}" for m in MAPS.values() for f in MAP_FILES],
    *([f"{OUT}/compare/matches.tsv"] if DO_COMPARE else []),
    *([f"{OUT}/compare/family_jos.tsv"] if DO_FAMILY else []),
]
DO_SATURATION = bool(section("saturation").get("regions"))
if DO_SATURATION:
    FINAL_OUTPUTS += [f"{m['dir']}/ism/saturation.tsv.gz" for m in MAPS.values()]
# patterns (rules/patterns.smk): each map's saturation table -> patterns, annotation, JOS
DO_PATTERNS = DO_SATURATION and bool(section("patterns").get("enabled"))
if DO_PATTERNS:
    FINAL_OUTPUTS += [f"{m['dir']}/patterns/{f}" for m in MAPS.values()
                      for f in ("patterns.meme", "patterns.tsv", "tomtom.tsv", "jos.tsv")]
MANIFEST_INPUTS = FINAL_OUTPUTS
DO_REPORT = section("report").get("enabled", True)


# ---------------------------------------------------------------- stage commands
SCAN_SHARDS = int(section("scan").get("shards", 1))


def scan_cmd(wildcards, input, output, threads):
    s = section("scan")
    return render("scan", thresh=s.get("thresh", 1e-4), bfile=s.get("bfile", "--nrdb--"),
                  motif_pseudo=s.get("motif_pseudo", 0.1),
                  shard=f"{wildcards.i}/{SCAN_SHARDS}" if SCAN_SHARDS > 1 else None,
                  threads=threads, sites=output[0], motifs=input.motifs, genome=input.genome)


def pairs_cmd(wildcards, input, output):
    p = section("pairs")
    return render("pairs", peaks=input.peaks, cells=map_of(wildcards)["cells"],
                  max_distance=p.get("max_distance", 500), window=p.get("window") or None,
                  allow_overlap=bool(p.get("allow_overlap")), model=input.model,
                  genome=input.genome, sources=output.sources, pairs=output.pairs,
                  sites=input.sites)


ISM_SHARDS = int(section("ism").get("shards", 1))


def ism_cmd(wildcards, input, output, threads):
    s = section("ism")
    return render("ism", model=input.model, genome=input.genome, sources=input.sources,
                  pairs=input.pairs, draws=s.get("draws", 10), seed=s.get("seed", 1),
                  scale=s.get("scale", "prob"), knockout=s.get("knockout", "random"),
                  shard=f"{wildcards.i}/{ISM_SHARDS}" if ISM_SHARDS > 1 else None,
                  threads=threads, effects=output[0])


def manifest_inputs():
    """(role, path) of every input file the config names."""
    files = [("genome", path(config["genome"])), ("motifs", path(config["motifs"])),
             ("peaks", path(config["peaks"]))]
    g = path(config["genome"])
    files += [("genome index", g + ext) for ext in (".fai", ".gzi") if os.path.exists(g + ext)]
    for name, m in MAPS.items():
        files.append((f"model {name}", model_src(m)))
    c = section("compare")
    for k in ("queries", "targets", "labels"):
        if c.get(k):
            files.append((f"compare {k}", path(c[k])))
    if section("saturation").get("regions"):
        files.append(("saturation regions", path(section("saturation")["regions"])))
    return files
