"""Snakemake wrapper: coopmap stats — t-tests (or Wilcoxon, permutation), Benjamini-Hochberg (or -Yekutieli), cooperativity tables and heatmap.

    rule stats:
        ...
        wrapper: "file:/path/to/coopmap/workflows/snakemake/wrappers/stats"

Inputs, outputs and params are named after the slots of stage 'stats' in
workflows/stages.yaml (see meta.yaml here); the command line is rendered by
workflows/stages.py, so it always follows the stage table.
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from coopmap_wrapper import run  # noqa: E402  (wrappers/coopmap_wrapper.py)

DEFAULTS = {"alpha": 0.05, "title": "TF–TF cooperativity", "test": None, "correction": None, "cluster": False}

run(snakemake, "stats", DEFAULTS)  # noqa: F821  (snakemake is injected by Snakemake)
