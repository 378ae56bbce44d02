"""Read coopmap stage files (TSV with '#' provenance/trailer lines) in test scripts."""
import csv


def rows(path):
    """The rows of a stage TSV as dicts keyed by its header; '#' lines are skipped."""
    with open(path) as f:
        return list(csv.DictReader((l for l in f if not l.startswith('#')), delimiter='\t'))
