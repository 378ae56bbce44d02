"""Snakemake wrapper: coopmap ism — in-silico knockouts through the model.

    rule ism:
        ...
        wrapper: "file:/path/to/coopmap/workflows/snakemake/wrappers/ism"

Inputs, outputs and params are named after the slots of stage 'ism' in
workflows/stages.yaml (see meta.yaml here); the command line is rendered by
workflows/stages.py, so it always follows the stage table.
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from coopmap_wrapper import run  # noqa: E402  (wrappers/coopmap_wrapper.py)

DEFAULTS = {"draws": 10, "seed": 1, "scale": "prob", "knockout": "random", "shard": None}

run(snakemake, "ism", DEFAULTS)  # noqa: F821  (snakemake is injected by Snakemake)
