#!/usr/bin/env python3
"""Static checks of coopmap's packaging files (run by tests/packaging.bats).

    python3 tests/packaging_check.py [--root DIR]      # DIR: a checkout (default: this one)

Checks, each line "ok: ..." or "FAIL: ..." (exit status 1 when any fails):
  yaml    every YAML file under envs/, recipe/ (its jinja rendered minimally first),
          workflows/snakemake/wrappers/, workflows/snakemake/profiles/ and
          workflows/nextflow/ parses, and so does workflows/stages.yaml;
  pins    every conda dependency of envs/*.yaml and of the wrappers' environment.yaml is
          pinned exactly (name=version, name==version or name=version=build; pip entries
          name==version);
  conda   every `conda:` directive of workflows/snakemake/Snakefile and rules/*.smk
          (expressions such as os.path.join(ENVS, "x.yaml") are resolved from the
          assignments in those files) and every `conda` directive of
          workflows/nextflow/**/*.nf names an existing file (a Nextflow directive that
          names packages instead must pin them exactly);
  recipe  recipe/meta.yaml: the version is COOPMAP_VERSION of c/core/version.h, and
          build, host, run and test.commands are not empty.
Needs Python 3 and PyYAML only.
"""
import argparse
import ast
import glob
import os
import re
import sys

import yaml

FAILS = []


def ok(msg):
    print(f"ok: {msg}")


def fail(msg):
    FAILS.append(msg)
    print(f"FAIL: {msg}")


def rel(root, path):
    return os.path.relpath(path, root)


# ------------------------------------------------------------------------- yaml

def render_jinja(text):
    """Just enough jinja for a conda recipe: {% set x = "v" %} defines x; {{ x }} is its
    value; any other {{ ... }} becomes a placeholder word; other {% ... %} vanish."""
    env = {}
    for m in re.finditer(r'{%-?\s*set\s+(\w+)\s*=\s*["\']([^"\']*)["\']\s*-?%}', text):
        env[m.group(1)] = m.group(2)
    text = re.sub(r"{%.*?%}", "", text, flags=re.S)

    def expr(m):
        e = m.group(1).strip()
        return env.get(e, "JINJA_" + re.sub(r"\W+", "_", e).strip("_"))
    return re.sub(r"{{(.*?)}}", expr, text, flags=re.S)


def load_yaml(path, jinja=False):
    with open(path) as f:
        text = f.read()
    return yaml.safe_load(render_jinja(text) if jinja else text)


def yaml_files(root):
    pats = ["envs/*.yaml", "envs/*.yml", "recipe/**/*.yaml", "recipe/**/*.yml",
            "workflows/snakemake/wrappers/**/*.yaml", "workflows/snakemake/wrappers/**/*.yml",
            "workflows/snakemake/profiles/**/*.yaml", "workflows/snakemake/profiles/**/*.yml",
            "workflows/nextflow/**/*.yaml", "workflows/nextflow/**/*.yml",
            "workflows/stages.yaml"]
    out = set()
    for p in pats:
        out.update(glob.glob(os.path.join(root, p), recursive=True))
    return sorted(out)


def check_yaml(root):
    files = yaml_files(root)
    if not files:
        fail("yaml: no YAML files found (wrong --root?)")
    bad = 0
    for path in files:
        try:
            load_yaml(path, jinja=rel(root, path).startswith("recipe" + os.sep))
        except yaml.YAMLError as e:
            bad += 1
            fail(f"yaml: {rel(root, path)} does not parse: {' '.join(str(e).split())}")
    if not bad:
        ok(f"yaml: {len(files)} files parse")


# ------------------------------------------------------------------------- pins

VERSION = r"[0-9][0-9A-Za-z._+!]*"          # no '*', no range: one release
CONDA_PIN = re.compile(rf"^([A-Za-z0-9_.-]+::)?[A-Za-z0-9_.-]+==?{VERSION}(=[A-Za-z0-9_.]+)?$")
PIP_PIN = re.compile(rf"^[A-Za-z0-9_.\[\]-]+=={VERSION}$")


def exact_conda(spec):
    """name=version, name==version, name=version=build (optionally channel::name)."""
    return bool(CONDA_PIN.match(str(spec).split("#")[0].strip()))


def check_pins(root):
    files = sorted(glob.glob(os.path.join(root, "envs", "*.yaml"))
                   + glob.glob(os.path.join(root, "workflows/snakemake/wrappers/*/environment.yaml")))
    if not files:
        fail("pins: no environment files under envs/ or the wrappers")
    for path in files:
        name = rel(root, path)
        try:
            doc = load_yaml(path)
        except yaml.YAMLError:
            fail(f"pins: {name} does not parse")
            continue
        deps = (doc or {}).get("dependencies") if isinstance(doc, dict) else None
        if not isinstance(deps, list) or not deps:
            fail(f"pins: {name} has no dependencies list")
            continue
        loose = []
        for d in deps:
            if isinstance(d, dict) and "pip" in d:
                loose += [f"pip:{p}" for p in d["pip"] if not PIP_PIN.match(str(p).replace(" ", ""))]
            elif not isinstance(d, str) or not exact_conda(d):
                loose.append(str(d))
        if loose:
            fail(f"pins: {name}: not pinned exactly: {', '.join(loose)}")
        else:
            ok(f"pins: {name}: {len(deps)} dependencies pinned")


# ------------------------------------------------------------------------- conda directives

class Unresolved(Exception):
    pass


def assignments(files):
    """NAME -> expression source, from top-level `NAME = expr` lines of the files."""
    out = {}
    for path in files:
        with open(path) as f:
            for line in f:
                m = re.match(r"^([A-Za-z_]\w*)\s*=\s*(.+?)\s*$", line)
                if m and not m.group(2).endswith(("(", "[", "{", ",", "\\")):
                    out.setdefault(m.group(1), (m.group(2), path))
    return out


def evaluate(src, here, env, root, depth=0):
    """The path a Snakefile expression names: string literals, f-strings and names
    (from `env`), os.path.join / abspath / dirname / normpath, workflow.basedir
    (the directory of the file it appears in) and `+` of strings."""
    if depth > 20:
        raise Unresolved(src)
    try:
        node = ast.parse(src, mode="eval").body
    except SyntaxError:
        raise Unresolved(src)

    def ev(n):
        if isinstance(n, ast.Constant) and isinstance(n.value, str):
            return n.value
        if isinstance(n, ast.JoinedStr):
            return "".join(ev(v.value) if isinstance(v, ast.FormattedValue) else ev(v)
                           for v in n.values)
        if isinstance(n, ast.Name):
            if n.id not in env:
                raise Unresolved(n.id)
            expr, where = env[n.id]
            return evaluate(expr, os.path.dirname(where), env, root, depth + 1)
        if isinstance(n, ast.Attribute) and ast.unparse(n) == "workflow.basedir":
            return here
        if isinstance(n, ast.BinOp) and isinstance(n.op, ast.Add):
            return ev(n.left) + ev(n.right)
        if isinstance(n, ast.Call):
            f = ast.unparse(n.func)
            args = [ev(a) for a in n.args]
            if f == "os.path.join" and args:
                return os.path.join(*args)
            if f in ("os.path.abspath", "os.path.normpath", "os.path.realpath") and len(args) == 1:
                return os.path.normpath(os.path.join(here, args[0]))
            if f == "os.path.dirname" and len(args) == 1:
                return os.path.dirname(args[0])
        raise Unresolved(ast.unparse(n))
    return ev(node)


def snakemake_conda(root):
    smk_dir = os.path.join(root, "workflows", "snakemake")
    files = sorted([os.path.join(smk_dir, "Snakefile")]
                   + glob.glob(os.path.join(smk_dir, "rules", "*.smk")))
    files = [f for f in files if os.path.isfile(f)]
    env = assignments(files)
    found = 0
    for path in files:
        with open(path) as f:
            lines = f.read().split("\n")
        for i, line in enumerate(lines):
            m = re.match(r"^\s*conda:\s*(.*?)\s*(#.*)?$", line)
            if not m:
                continue
            expr = m.group(1)
            j = i + 1
            while not expr and j < len(lines):        # the value on the next line(s)
                expr = lines[j].split("#")[0].strip().rstrip(",")
                j += 1
            found += 1
            where = f"{rel(root, path)}:{i + 1}"
            try:
                target = evaluate(expr, os.path.dirname(path), env, root)
            except Unresolved as e:
                fail(f"conda: {where}: cannot resolve `{expr}` ({e})")
                continue
            if not os.path.isabs(target):
                target = os.path.join(os.path.dirname(path), target)   # Snakemake's rule
            if os.path.isfile(target):
                ok(f"conda: {where} -> {rel(root, target)}")
            else:
                fail(f"conda: {where}: `{expr}` -> {rel(root, target)}: no such file")
    if not found:
        fail("conda: no conda: directive in workflows/snakemake")


def nextflow_conda(root):
    nf_root = os.path.join(root, "workflows", "nextflow")
    if not os.path.isdir(nf_root):
        ok("conda: no workflows/nextflow (nothing to check)")
        return
    for path in sorted(glob.glob(os.path.join(nf_root, "**", "*.nf"), recursive=True)):
        with open(path) as f:
            for n, line in enumerate(f, 1):
                m = re.match(r"""^\s*conda\s+(["'])(.*?)\1""", line)
                if not m:
                    continue
                value, where = m.group(2), f"{rel(root, path)}:{n}"
                if value.endswith((".yaml", ".yml")) or "/" in value:
                    t = re.sub(r"\$\{?moduleDir\}?", os.path.dirname(path), value)
                    t = re.sub(r"\$\{?(projectDir|baseDir)\}?", nf_root, t)
                    if "$" in t:
                        fail(f"conda: {where}: cannot resolve {value}")
                    elif os.path.isfile(t if os.path.isabs(t) else os.path.join(os.path.dirname(path), t)):
                        ok(f"conda: {where} -> {value}")
                    else:
                        fail(f"conda: {where}: {value}: no such file")
                else:
                    loose = [s for s in value.split() if not exact_conda(s)]
                    if loose:
                        fail(f"conda: {where}: not pinned exactly: {', '.join(loose)}")
                    else:
                        ok(f"conda: {where}: packages pinned")


# ------------------------------------------------------------------------- recipe

def check_recipe(root):
    path = os.path.join(root, "recipe", "meta.yaml")
    if not os.path.isfile(path):
        fail("recipe: no recipe/meta.yaml")
        return
    try:
        doc = load_yaml(path, jinja=True) or {}
    except yaml.YAMLError:
        return                                     # reported by check_yaml
    with open(os.path.join(root, "c", "core", "version.h")) as f:
        m = re.search(r'#define\s+COOPMAP_VERSION\s+"([^"]+)"', f.read())
    want = m.group(1) if m else None
    got = str((doc.get("package") or {}).get("version"))
    if got != want:
        fail(f"recipe: version {got} is not COOPMAP_VERSION {want} of c/core/version.h")
    else:
        ok(f"recipe: version {got} = c/core/version.h")
    req = doc.get("requirements") or {}
    empty = [k for k in ("build", "host", "run") if not req.get(k)]
    if not (doc.get("test") or {}).get("commands"):
        empty.append("test.commands")
    if empty:
        fail(f"recipe: empty {', '.join(empty)}")
    else:
        ok("recipe: build, host, run and test.commands given")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--root", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
    root = os.path.abspath(ap.parse_args().root)
    check_yaml(root)
    check_pins(root)
    snakemake_conda(root)
    nextflow_conda(root)
    check_recipe(root)
    print(f"{len(FAILS)} failed")
    return 1 if FAILS else 0


if __name__ == "__main__":
    sys.exit(main())
