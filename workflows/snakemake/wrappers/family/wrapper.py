"""Snakemake wrapper: coopmap family — Jaccard Overlap Score per TF of compared patterns.

    rule family:
        ...
        wrapper: "file:/path/to/coopmap/workflows/snakemake/wrappers/family"

Inputs, outputs and params are named after the slots of stage 'family' in
workflows/stages.yaml (see meta.yaml here); the command line is rendered by
workflows/stages.py, so it always follows the stage table.
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from coopmap_wrapper import run  # noqa: E402  (wrappers/coopmap_wrapper.py)

DEFAULTS = {"thresh": 0.05}

run(snakemake, "family", DEFAULTS)  # noqa: F821  (snakemake is injected by Snakemake)
