"""Snakemake wrapper: coopmap scan — FIMO-compatible motif scan of a genome.

    rule scan:
        ...
        wrapper: "file:/path/to/coopmap/workflows/snakemake/wrappers/scan"

Inputs, outputs and params are named after the slots of stage 'scan' in
workflows/stages.yaml (see meta.yaml here); the command line is rendered by
workflows/stages.py, so it always follows the stage table.
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from coopmap_wrapper import run  # noqa: E402  (wrappers/coopmap_wrapper.py)

DEFAULTS = {"thresh": 1e-4, "bfile": "--nrdb--", "motif_pseudo": 0.1, "shard": None}

run(snakemake, "scan", DEFAULTS)  # noqa: F821  (snakemake is injected by Snakemake)
