"""Snakemake wrapper: coopmap pairs — localize sites in labelled peaks and enumerate TF pairs.

    rule pairs:
        ...
        wrapper: "file:/path/to/coopmap/workflows/snakemake/wrappers/pairs"

Inputs, outputs and params are named after the slots of stage 'pairs' in
workflows/stages.yaml (see meta.yaml here); the command line is rendered by
workflows/stages.py, so it always follows the stage table.
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from coopmap_wrapper import run  # noqa: E402  (wrappers/coopmap_wrapper.py)

DEFAULTS = {"cells": None, "max_distance": 500, "window": None, "allow_overlap": False}

run(snakemake, "pairs", DEFAULTS)  # noqa: F821  (snakemake is injected by Snakemake)
