"""Snakemake wrapper: coopmap compare — Tomtom-compatible motif comparison.

    rule compare:
        ...
        wrapper: "file:/path/to/coopmap/workflows/snakemake/wrappers/compare"

Inputs, outputs and params are named after the slots of stage 'compare' in
workflows/stages.yaml (see meta.yaml here); the command line is rendered by
workflows/stages.py, so it always follows the stage table.
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from coopmap_wrapper import run  # noqa: E402  (wrappers/coopmap_wrapper.py)

DEFAULTS = {"dist": "ed", "min_overlap": 1, "evalue": False, "thresh": 0.5}

run(snakemake, "compare", DEFAULTS)  # noqa: F821  (snakemake is injected by Snakemake)
