"""Retrieve one registry dataset into data/raw/ (mirror first, then the official URL)."""

from pathlib import Path

from geo.core.logs import logged
from geo.inputs.retrieve import retrieve

with logged(snakemake.log[0]):
    p = snakemake.params
    retrieve(
        p.dataset,
        Path(snakemake.output[0]),
        mirror=Path(p.mirror) if p.mirror else None,
        timeout=float(p.timeout),
        retries=int(p.retries),
    )
