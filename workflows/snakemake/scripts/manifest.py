"""Write the run manifest (rule manifest, rules/manifest.smk): what a rerun needs to
reproduce every output byte for byte, and what it must check first.

JSON, keys: coopmap_manifest (format 1), created (UTC), workdir, snakefile, config (the
effective configuration, defaults filled in), tools (path, `--version`, sha256 of each
coopmap executable and script the rules ran), software (Snakemake, Python, host),
repository (git commit and whether the checkout was dirty), container and conda (their
identity, or null), inputs (role, path, size, sha256 of every file the config names,
with the genome's .fai/.gzi) and outputs (path relative to workdir, size, sha256).
scripts/coopmap-rerun reads it.  Standard library only (runs in envs/coopmap.yaml).
"""
import datetime
import hashlib
import json
import os
import platform
import shutil
import subprocess
import sys


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def entry(path, **extra):
    return dict(extra, path=path, size=os.path.getsize(path), sha256=sha256(path))


def run(cmd):
    try:
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
        return (r.stdout or r.stderr).strip() if r.returncode == 0 else None
    except (OSError, subprocess.TimeoutExpired):
        return None


def container():
    info = {}
    if os.path.exists("/run/.containerenv"):   # podman: name="...", image="...", imageid="..."
        info["engine"] = "podman"
        for line in open("/run/.containerenv"):
            if "=" in line:
                k, v = line.strip().split("=", 1)
                if k in ("image", "imageid", "name", "engine"):
                    info[k] = v.strip('"')
    elif os.path.exists("/.dockerenv"):
        info["engine"] = "docker"
    for k in ("APPTAINER_CONTAINER", "SINGULARITY_CONTAINER", "APPTAINER_NAME", "SINGULARITY_NAME"):
        if os.environ.get(k):
            info.setdefault("engine", "apptainer")
            info[k.lower()] = os.environ[k]
    if info and os.environ.get("COOPMAP_IMAGE"):   # set by containers/Containerfile
        info["image"] = info.get("image") or os.environ["COOPMAP_IMAGE"]
    return info or None


def conda():
    prefix = os.environ.get("CONDA_PREFIX")
    if not prefix:
        return None
    info = {"prefix": prefix, "env": os.environ.get("CONDA_DEFAULT_ENV")}
    exe = os.environ.get("CONDA_EXE") or shutil.which("conda")
    if exe:
        info["explicit"] = run([exe, "list", "--explicit", "--md5", "-p", prefix])
    return info


def repository(repo):
    commit = run(["git", "-C", repo, "rev-parse", "HEAD"])
    if not commit:
        return None
    dirty = run(["git", "-C", repo, "status", "--porcelain", "--untracked-files=no"])
    return {"path": repo, "commit": commit, "dirty": bool(dirty)}


def main(sm):
    p = sm.params
    tools = {}
    for name, path in sorted(p.tools.items()):
        exe = shutil.which(path) or path
        if os.path.exists(exe):
            tools[name] = {"path": exe, "version": run([exe, "--version"]), "sha256": sha256(exe)}
    inputs = []
    for role, path in p.inputs:
        if os.path.exists(path) and os.path.isfile(path):
            inputs.append(entry(path, role=role))
    outputs = [entry(f) for f in sorted(set(sm.input))]
    for o in outputs:   # relative to the working directory when under it
        rel = os.path.relpath(o["path"])
        o["path"] = o["path"] if rel.startswith("..") else rel
    doc = {
        "coopmap_manifest": 1,
        "created": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "workdir": os.getcwd(),
        "snakefile": p.snakefile,
        "base": p.base,
        "config": p.config,
        "tools": tools,
        "software": {
            "snakemake": p.snakemake_version,
            "python": sys.version.split()[0],
            "host": " ".join(platform.uname()),
        },
        "repository": repository(p.repo),
        "container": container(),
        "conda": conda(),
        "inputs": inputs,
        "outputs": outputs,
    }
    tmp = sm.output[0] + ".tmp"
    with open(tmp, "w") as f:
        json.dump(doc, f, indent=1, sort_keys=False)
        f.write("\n")
    os.replace(tmp, sm.output[0])
    if len(sm.output) > 1:
        write_tsv(doc, sm.output[1])


def flat(prefix, value, rows, section):
    """Rows (section, key, value) of a nested config: keys joined with '.', lists and
    scalars as JSON."""
    if isinstance(value, dict) and value:
        for k, v in value.items():
            flat(f"{prefix}.{k}" if prefix else str(k), v, rows, section)
    else:
        rows.append((section, prefix, value if isinstance(value, str) else json.dumps(value)))


def write_tsv(doc, out):
    """The manifest as rows section, key, value (the report's run-info table,
    coopmap-stats --run-info): run, repository, software, container, config, tools,
    inputs and outputs (path -> sha256)."""
    rows = [("run", k, doc[k]) for k in ("created", "workdir", "snakefile", "base")]
    for sec in ("repository", "software", "container"):
        for k, v in (doc.get(sec) or {}).items():
            rows.append((sec, k, v if isinstance(v, str) else json.dumps(v)))
    if doc.get("conda"):
        rows += [("conda", k, doc["conda"].get(k) or "") for k in ("prefix", "env")]
    flat("", doc["config"], rows, "config")
    for name, t in doc["tools"].items():
        rows.append(("tools", f"coopmap-{name}" if name != "convert-model" else "coopmap-convert-model",
                     f"{t.get('version') or '?'} (sha256 {t['sha256']})"))
    for e in doc["inputs"]:
        rows.append(("inputs", f"{e['role']}: {e['path']}", f"sha256 {e['sha256']}, {e['size']} bytes"))
    for e in doc["outputs"]:
        rows.append(("outputs", e["path"], f"sha256 {e['sha256']}, {e['size']} bytes"))
    tmp = out + ".tmp"
    with open(tmp, "w") as f:
        f.write("# coopmap run manifest (section, key, value); the whole of it: manifest.json\n")
        f.write("section\tkey\tvalue\n")
        for r in rows:
            f.write("\t".join(" ".join(str(x).split()) for x in r) + "\n")
    os.replace(tmp, out)


main(snakemake)  # noqa: F821  (injected by Snakemake's script: directive)
