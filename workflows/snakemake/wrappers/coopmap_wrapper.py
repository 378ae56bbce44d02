"""Shared code of coopmap's Snakemake wrappers (workflows/snakemake/wrappers/<tool>/wrapper.py).

Not a wrapper itself: each wrapper.py puts this folder and workflows/ on sys.path and calls

    run(snakemake, "stats", defaults={"alpha": 0.05, ...})

which fills every slot of the stage's template in workflows/stages.yaml from the job:
inputs and outputs by slot name (snakemake.input.effects, ...; unnamed files are taken in
the template's order when their number matches), `threads` from snakemake.threads, the
other parameters from snakemake.params or `defaults`.  The command line is rendered by
workflows/stages.py render() (so a wrapper cannot drift from the stage table), checked
with stages.match(), written as the first line of the job's log ("coopmap-wrapper STAGE:
CMD", also printed to stderr) and run with the tool's stderr appended to the log.

params.bin_dir (optional): a directory holding the coopmap-* tools; without it the tool
is taken from PATH (the conda package).
"""
import os
import shlex
import sys

from snakemake.shell import shell

_WORKFLOWS = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
if _WORKFLOWS not in sys.path:
    sys.path.insert(0, _WORKFLOWS)
import stages  # noqa: E402  (workflows/stages.py)

EXTRA_PARAMS = {"bin_dir"}   # params a wrapper accepts besides the template's slots


def _names(io):
    return list(io.keys()) if hasattr(io, "keys") else []


def _files(io, slots, what):
    """{slot: path or list} for the template's input or output slots."""
    named = _names(io)
    if named:
        missing = [s for s in slots if s not in named]
        if missing:
            raise ValueError(f"{what}: name the files {', '.join(missing)} "
                             f"(named here: {', '.join(named)})")
        return {s: getattr(io, s) for s in slots}
    if len(io) != len(slots):
        raise ValueError(f"{what}: give the files {', '.join(slots)} by name "
                         f"({len(io)} unnamed files given)")
    return dict(zip(slots, list(io)))


def command(snakemake, stage, defaults=None, table=None):
    """The rendered command line of `stage` for this job (shell-quoted words)."""
    table = table or stages.load()
    st = table[stage]
    defaults = defaults or {}
    values = {}
    values.update(_files(snakemake.input, st.get("inputs", []), f"{stage}: input"))
    values.update(_files(snakemake.output, st.get("outputs", []), f"{stage}: output"))
    params = dict(snakemake.params.items()) if hasattr(snakemake.params, "items") else {}
    unknown = sorted(set(params) - set(st.get("params", [])) - EXTRA_PARAMS)
    if unknown:
        raise ValueError(f"{stage}: unknown params {', '.join(unknown)} "
                         f"(stages.yaml: {', '.join(st.get('params', []))})")
    for slot in st.get("params", []):
        if slot == "threads":
            values[slot] = snakemake.threads
        elif slot in params:
            values[slot] = params[slot]
        elif slot in defaults:
            values[slot] = defaults[slot]
        else:
            raise ValueError(f"{stage}: params.{slot} is required")
    name = st["_tokens"][0][1]
    bin_dir = params.get("bin_dir")
    tool = shlex.quote(os.path.join(bin_dir, name)) if bin_dir else None
    cmd = stages.render(table, stage, tool=tool, **values)
    stages.match(table, stage, cmd)          # cannot fail unless stages.py itself is broken
    return cmd


def run(snakemake, stage, defaults=None):
    """Render, log and run `stage` for this job."""
    cmd = command(snakemake, stage, defaults)
    line = f"coopmap-wrapper {stage}: {cmd}\n"
    sys.stderr.write(line)
    if snakemake.log:
        log = str(snakemake.log[0])
        os.makedirs(os.path.dirname(os.path.abspath(log)), exist_ok=True)
        with open(log, "w") as f:
            f.write(line)
    redirect = snakemake.log_fmt_shell(stdout=False, stderr=True, append=True)
    # shell() formats its argument with str.format: keep braces in values literal
    shell((cmd + redirect).replace("{", "{{").replace("}", "}}"))
