#!/usr/bin/env python3
"""The Snakemake half of the drift test (tests/workflows.bats): every shell command of a
`snakemake -n -p --forceall` dry run must follow its stage's template in
workflows/stages.yaml (rule name = stage name; `all` and the manifest rule run no stage
command).  The Nextflow half is tests/nextflow_check.py (rendered module scripts).

    snakemake ... -n -p --forceall > dry.txt
    python3 tests/workflow_drift.py dry.txt [--stages workflows/stages.yaml] [--expect scan,pairs,...]

Prints one line per rule ("# rule scan: 3 commands follow the table") and exits 1 with
the template and the command when one drifted, or when an --expect'ed stage never ran.
"""
import argparse
import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "workflows"))
import stages  # noqa: E402

NO_STAGE = {"all", "manifest"}


def jobs(text):
    """(rule, command) for each job of a dry run printed with -p."""
    out, rule, lines = [], None, text.splitlines()
    i = 0
    while i < len(lines):
        m = re.match(r"^(?:local)?rule (\w+):$", lines[i])
        if m:
            rule = m.group(1)
            i += 1
            while i < len(lines) and lines[i].startswith("    "):   # the job's fields
                i += 1
            while i < len(lines) and not lines[i].strip():
                i += 1
            cmd = []
            while i < len(lines) and lines[i].strip() and not lines[i].startswith("["):
                cmd.append(lines[i].strip())
                i += 1
            if cmd and rule not in NO_STAGE:
                out.append((rule, " ".join(cmd)))
            continue
        i += 1
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dryrun")
    ap.add_argument("--stages", default=stages.DEFAULT)
    ap.add_argument("--expect", default="", help="comma-separated stages that must appear")
    a = ap.parse_args()
    table = stages.load(a.stages)
    found, bad = {}, 0
    for rule, cmd in jobs(open(a.dryrun).read()):
        try:
            stages.match(table, rule, cmd)
            found[rule] = found.get(rule, 0) + 1
        except stages.StageError as e:
            print(f"DRIFT: rule {rule}: {e}")
            bad += 1
    for rule, n in sorted(found.items()):
        print(f"# rule {rule}: {n} command{'s follow' if n > 1 else ' follows'} the table")
    missing = [s for s in a.expect.split(",") if s and s not in found]
    if missing:
        print(f"DRIFT: no command of stage(s) {', '.join(missing)} in the dry run")
        bad += 1
    if not found:
        print("DRIFT: no stage command found in the dry run (printed with -p?)")
        bad += 1
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
