#!/usr/bin/env python3
"""Checks of the Nextflow front end without a Nextflow runtime (tests/nextflow.bats).

    nextflow_check.py schema
        nextflow_schema.json is valid JSON Schema (draft 7); its parameters are exactly
        those of nextflow.config's params block; the defaults agree; the test profile's
        params validate against it.
    nextflow_check.py run WORKDIR --bin BIN --data DATA [--regions BED] [--snakemake-dryrun DRY.txt]
        Renders every module's script: block (tests/nextflow/render.groovy: Groovy
        evaluates it with the module's inputs, task.cpus and task.ext.args from
        conf/modules.config under the test profile's params), checks the command against
        its stage in workflows/stages.yaml (the Nextflow half of the drift test; with a
        Snakemake dry run, also that both front ends pass the same parameter values), and
        runs it as a shell command in its own work folder with the inputs staged as
        symlinks, chaining scan (2 motif slices) -> scan merge -> pairs -> ism (2 row
        slices) -> ism merge -> stats and compare -> family on the demo data in DATA
        (genome.fa, motifs.meme, peaks.bed), and with --regions saturation of BED through
        the map's model -> patterns -> patterns compare -> patterns JOS.  convert_model is
        rendered and checked, not run.  Each job's versions.yml must be valid YAML naming
        coopmap's version.  Every module under modules/coopmap must be in STAGE_OF and be
        rendered (with --regions), so a new module cannot go unchecked.
    nextflow_check.py drift MODULE.nf STAGE
        Render one module (placeholder inputs) and check it against STAGE only.
    nextflow_check.py command [--cpus N] [--id ID] MODULE.nf INPUT=VALUE...
        Print the stage command line of one module rendered with these inputs (its words
        one space apart).
    nextflow_check.py dataflow [--main MAIN.nf] PARAM=VALUE...
        Run main.nf's channel logic (tests/nextflow/dataflow.groovy) with nextflow.config's
        params and these overrides (an empty VALUE is null): one line per process task,
        "PROC ID: input=value ...", exit 1 with "ERROR: message" on error().
COOPMAP_NF_DIR replaces workflows/nextflow (the tests check broken copies).
"""
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import textwrap

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
NF = os.environ.get("COOPMAP_NF_DIR") or os.path.join(REPO, "workflows", "nextflow")
sys.path.insert(0, os.path.join(REPO, "workflows"))
import stages  # noqa: E402

STAGE_OF = {"scan": "scan", "scanmerge": "scan_merge", "convertmodel": "convert_model",
            "pairs": "pairs", "ism": "ism", "ismmerge": "ism_merge", "stats": "stats",
            "compare": "compare", "family": "family", "saturation": "saturation",
            "patterns": "patterns", "patternscompare": "patterns_compare",
            "patternsjos": "patterns_jos"}


def block(text, head):
    """The text inside the braces of the first `head {` block (brace matching)."""
    i = re.search(r"(^|\n)\s*" + re.escape(head) + r"\s*\{", text)
    if not i:
        return None
    j, depth = i.end(), 1
    k = j
    while depth and k < len(text):
        depth += {"{": 1, "}": -1}.get(text[k], 0)
        k += 1
    return text[j:k - 1]


def params_config():
    """ConfigSlurper text: nextflow.config's params, then the test profile's."""
    main = block(open(os.path.join(NF, "nextflow.config")).read(), "params")
    test = block(open(os.path.join(NF, "conf", "test.config")).read(), "params")
    return "params {\n" + main + "\n}\nparams {\n" + test + "\n}\n"


def module(name):
    path = os.path.join(NF, "modules", "coopmap", name, "main.nf")
    return path, open(path).read()


def script_section(text, path):
    m = re.search(r"\n\s*script:\s*\n(.*?)\n\s*stub:\s*\n", text, re.S)
    if not m:
        raise SystemExit(f"{path}: no script: ... stub: section")
    return textwrap.dedent(m.group(1))


def process_name(text, path):
    m = re.search(r"^process\s+(\w+)\s*\{", text, re.M)
    if not m:
        raise SystemExit(f"{path}: no process")
    return m.group(1)


def ext_args(proc):
    text = open(os.path.join(NF, "conf", "modules.config")).read()
    b = block(text, f"withName: '{proc}'")
    if b is None:
        return None
    m = re.search(r"ext\.args\s*=\s*\{(.*)\}\s*$", b, re.M)
    return m.group(1).strip() if m else None


def render(jobs):
    """Render jobs [(module text, path, vars, meta, cpus)] with Groovy; returns params, scripts."""
    req = {"params_config": params_config(), "project_dir": NF, "jobs": []}
    for text, path, vars_, meta, cpus in jobs:
        proc = process_name(text, path)
        req["jobs"].append({"section": script_section(text, path), "vars": vars_, "meta": meta,
                            "cpus": cpus, "process": f"COOPMAP:{proc}", "ext_args": ext_args(proc)})
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump(req, f)
    r = subprocess.run(["groovy", os.path.join(HERE, "nextflow", "render.groovy"), f.name],
                       capture_output=True, text=True)
    os.unlink(f.name)
    if r.returncode != 0:
        raise SystemExit("render.groovy failed:\n" + r.stderr)
    out = json.loads(r.stdout)
    return out["params"], [textwrap.dedent(s).strip("\n") for s in out["scripts"]]


def command_of(script):
    """The stage command: the first line of the rendered script (the rest writes versions.yml)."""
    return script.splitlines()[0].strip()


def check(table, name, script):
    return stages.match(table, STAGE_OF[name], command_of(script))


def same_value(a, b):
    try:
        return float(a) == float(b)
    except (TypeError, ValueError):
        return a == b


def cmd_schema():
    schema = json.load(open(os.path.join(NF, "nextflow_schema.json")))
    import jsonschema
    jsonschema.Draft7Validator.check_schema(schema)
    props = {}
    for d in schema["definitions"].values():
        for k, v in d["properties"].items():
            assert k not in props, f"nextflow_schema.json: {k} twice"
            props[k] = v
            assert v.get("type") and v.get("description"), f"nextflow_schema.json: {k} needs type and description"
    params, _ = render([])
    main = block(open(os.path.join(NF, "nextflow.config")).read(), "params")
    names = set(re.findall(r"^\s*(\w+)\s*=", main, re.M))
    if names != set(props):
        raise SystemExit(f"params in nextflow.config but not the schema: {sorted(names - set(props))}; "
                         f"in the schema but not nextflow.config: {sorted(set(props) - names)}")
    defaults = render_defaults(main)
    for k, v in props.items():
        if "default" in v and not same_value(v["default"], defaults[k]):
            raise SystemExit(f"{k}: default {v['default']!r} in the schema, {defaults[k]!r} in nextflow.config")
    flat = {k: v for k, v in params.items() if v is not None}
    jsonschema.validate(flat, {"type": "object", "allOf": [
        {"$ref": f"#/definitions/{g}"} for g in schema["definitions"]], "definitions": schema["definitions"]})
    print(f"# nextflow_schema.json: {len(props)} parameters, valid draft-7 schema; the test profile validates")


def render_defaults(main):
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump({"params_config": "params {\n" + main + "\n}\n", "project_dir": NF, "jobs": []}, f)
    r = subprocess.run(["groovy", os.path.join(HERE, "nextflow", "render.groovy"), f.name],
                       capture_output=True, text=True, check=True)
    os.unlink(f.name)
    return json.loads(r.stdout)["params"]


def stage(workdir, name, files):
    """Make WORKDIR/name with symlinks to files; returns {input: basename}."""
    d = os.path.join(workdir, name)
    os.makedirs(d, exist_ok=True)
    for f in files:
        dst = os.path.join(d, os.path.basename(f))
        if not os.path.lexists(dst):
            os.symlink(os.path.abspath(f), dst)
    return d


def cmd_run(a):
    table = stages.load()
    data, wd = os.path.abspath(a.data), os.path.abspath(a.workdir)
    env = dict(os.environ, PATH=os.path.abspath(a.bin) + os.pathsep + os.path.join(REPO, "scripts")
               + os.pathsep + os.environ["PATH"])
    genome = os.path.join(data, "genome.fa")
    gidx = [genome + ".fai"]
    motifs, peaks = os.path.join(data, "motifs.meme"), os.path.join(data, "peaks.bed")
    model = os.path.join(REPO, "config", "demo", "demo.grammar")
    mods = {os.path.basename(os.path.dirname(m))
            for m in glob.glob(os.path.join(NF, "modules", "coopmap", "*", "main.nf"))}
    if mods - set(STAGE_OF):
        raise SystemExit(f"modules not checked against workflows/stages.yaml (no STAGE_OF entry): "
                         f"{sorted(mods - set(STAGE_OF))}")
    rendered = set()
    sm_slots = {}
    if a.snakemake_dryrun:
        sys.path.insert(0, HERE)
        import workflow_drift
        for rule, cmd in workflow_drift.jobs(open(a.snakemake_dryrun).read()):
            sm_slots.setdefault(rule, stages.match(table, rule, cmd))
    n_run = 0

    def job(name, jid, meta, inputs, cpus=2, run=True):
        """inputs: {var: path or [paths]} -> staged, rendered, checked, run; returns folder."""
        nonlocal n_run
        text = module(name)[1]
        files, vars_ = [], {}
        for k, v in inputs.items():
            vs = v if isinstance(v, list) else [v]
            files += vs
            vars_[k] = " ".join(os.path.basename(x) for x in vs)
        d = stage(wd, jid, files)
        _, [script] = render([(text, module(name)[0], vars_, meta, cpus)])
        got = check(table, name, script)
        st = STAGE_OF[name]
        if st in sm_slots:   # both front ends pass the same parameter values
            for k in table[st].get("params", []):
                if k in ("threads", "shard"):
                    continue
                a_, b_ = got.get(k), sm_slots[st].get(k)
                if not same_value(a_, b_):
                    raise SystemExit(f"{name}: parameter {k}: Nextflow passes {a_!r}, Snakemake {b_!r}")
        rendered.add(name)
        print(f"# {name} ({jid}): {command_of(script)}")
        if not run:
            return d
        open(os.path.join(d, ".command.sh"), "w").write(script + "\n")
        r = subprocess.run(["bash", "-euo", "pipefail", ".command.sh"], cwd=d, env=env,
                           capture_output=True, text=True)
        if r.returncode != 0:
            raise SystemExit(f"{name}: the rendered script failed ({r.returncode}):\n{script}\n{r.stderr}")
        v = yaml.safe_load(open(os.path.join(d, "versions.yml")))
        (proc, tools), = v.items()
        assert proc.endswith(process_name(text, name)) and str(tools["coopmap"]) == "0.1.0", v
        n_run += 1
        return d

    out = lambda d, pat: sorted(glob.glob(os.path.join(d, pat)))[0]
    s1 = job("scan", "scan1", {"id": "scan.1", "shard": "1/2"}, {"motifs": motifs, "genome": [genome], "genome_index": gidx})
    s2 = job("scan", "scan2", {"id": "scan.2", "shard": "2/2"}, {"motifs": motifs, "genome": [genome], "genome_index": gidx})
    sm = job("scanmerge", "scanmerge", {"id": "scan"},
             {"shards": [out(s1, "*.sites.tsv"), out(s2, "*.sites.tsv")]}, cpus=1)
    sites = out(sm, "scan.sites.tsv")
    meta = {"id": "main", "cells": [], "title": None}
    p = job("pairs", "pairs", meta, {"sites": sites, "peaks": peaks, "model": model,
                                      "genome": genome, "genome_index": gidx}, cpus=1)
    pairs, sources = out(p, "*.pairs.tsv"), out(p, "*.sources.tsv")
    i1 = job("ism", "ism1", dict(meta, shard="1/2", id="main.1"), {"pairs": pairs, "sources": sources, "model": model, "genome": genome, "genome_index": gidx})
    i2 = job("ism", "ism2", dict(meta, shard="2/2", id="main.2"), {"pairs": pairs, "sources": sources, "model": model, "genome": genome, "genome_index": gidx})
    im = job("ismmerge", "ismmerge", meta, {"shards": [out(i1, "*.effects.tsv"), out(i2, "*.effects.tsv")]}, cpus=1)
    job("stats", "stats", dict(meta, title="coopmap demo: planted ELF1-SRF cooperation, NRF1-CTCF competition"),
        {"effects": out(im, "main.effects.tsv")}, cpus=1)
    labels = os.path.join(wd, "labels.tsv")
    with open(labels, "w") as f:
        f.write("ID\tTF\nELF1\tELF1\nSRF\tSRF\nNRF1\tNRF1\nCTCF\tCTCF\n")
    c = job("compare", "compare", {"id": "compare"}, {"queries": motifs, "targets": motifs})
    job("family", "family", {"id": "compare"}, {"labels": labels, "matches": out(c, "*.matches.tsv")}, cpus=1)
    job("convertmodel", "convertmodel", {"id": "m", "heads": ["MAX", "FOXA1"], "input_length": 200},
        {"checkpoint": "model.pth"}, cpus=1, run=False)
    if a.regions:   # saturation through the map's model (the one ism used) -> patterns -> JOS
        sat = job("saturation", "saturation", meta, {"model": model, "genome": genome, "genome_index": gidx,
                                                      "regions": os.path.abspath(a.regions)})
        pt = job("patterns", "patterns", meta, {"saturation": out(sat, "main.saturation.tsv.gz"),
                                                "genome": genome, "genome_index": gidx})
        pc = job("patternscompare", "patternscompare", meta,
                 {"queries": out(pt, "main.patterns/patterns.meme"), "targets": motifs})
        job("patternsjos", "patternsjos", meta, {"labels": out(pt, "main.patterns/patterns.tsv"),
                                                 "matches": out(pc, "main.patterns_tomtom.tsv")}, cpus=1)
        if mods - rendered:
            raise SystemExit(f"modules neither run nor rendered: {sorted(mods - rendered)}")
    print(f"# {n_run} module scripts ran, every command follows workflows/stages.yaml")


def cmd_drift(path, st):
    table = stages.load()
    text = open(path).read()
    inputs = re.findall(r"(?:path|val)\((\w+)\)", text)
    vars_ = {k: f"{k}.file" for k in inputs if k != "meta"}
    _, [script] = render([(text, path, vars_, {"id": "x", "cells": [], "shard": None, "title": "t",
                                             "heads": ["A"], "input_length": 200}, 1)])
    try:
        stages.match(table, st, command_of(script))
    except stages.StageError as e:
        raise SystemExit(f"DRIFT: {path}: {e}")
    print(f"# {path} follows stage {st}")


def cmd_command(a):
    text = open(a.module).read()
    vars_ = {}
    for kv in a.inputs:
        k, sep, v = kv.partition("=")
        if not sep:
            raise SystemExit(f"command: {kv}: not INPUT=VALUE")
        vars_[k] = v
    _, [script] = render([(text, a.module, vars_, {"id": a.id, "cells": [], "shard": None, "title": "t",
                                                  "heads": ["A"], "input_length": 200}, a.cpus)])
    print(" ".join(command_of(script).split()))   # its shell words, one space apart


def cmd_dataflow(a):
    main_cfg = block(open(os.path.join(NF, "nextflow.config")).read(), "params")
    params = render_defaults(main_cfg)
    for kv in a.params:
        k, sep, v = kv.partition("=")
        if not sep or k not in params:
            raise SystemExit(f"dataflow: {kv}: not PARAM=VALUE with a parameter of nextflow.config")
        params[k] = v if v != "" else None
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump({"main": os.path.abspath(a.main or os.path.join(NF, "main.nf")), "params": params}, f)
    r = subprocess.run(["groovy", os.path.join(HERE, "nextflow", "dataflow.groovy"), f.name],
                       capture_output=True, text=True)
    os.unlink(f.name)
    sys.stdout.write(r.stdout)
    sys.stderr.write(r.stderr)
    sys.exit(r.returncode)


def main():
    import argparse
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    sub.add_parser("schema")
    r = sub.add_parser("run")
    r.add_argument("workdir")
    r.add_argument("--bin", required=True)
    r.add_argument("--data", required=True)
    r.add_argument("--regions")
    r.add_argument("--snakemake-dryrun")
    d = sub.add_parser("drift")
    d.add_argument("module")
    d.add_argument("stage")
    c = sub.add_parser("command")
    c.add_argument("module")
    c.add_argument("--cpus", type=int, default=1)
    c.add_argument("--id", default="x")
    c.add_argument("inputs", nargs="*")
    f = sub.add_parser("dataflow")
    f.add_argument("--main")
    f.add_argument("params", nargs="*")
    a = ap.parse_args()
    if a.cmd == "schema":
        cmd_schema()
    elif a.cmd == "run":
        cmd_run(a)
    elif a.cmd == "command":
        cmd_command(a)
    elif a.cmd == "dataflow":
        cmd_dataflow(a)
    else:
        cmd_drift(a.module, a.stage)


if __name__ == "__main__":
    main()
