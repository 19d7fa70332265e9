"""Classify the file named by config classify.input by deprivation."""

from pathlib import Path

from geo.core.jobs import keyed
from geo.core.logs import logged
from geo.presentation.classify_report import load_reference, run

with logged(snakemake.log[0]):
    p, i = snakemake.params, snakemake.input
    reference = load_reference(
        lad_code=p.lad_code,
        layers={v: Path(path) for v, path in keyed(i, "layer").items()},
        members=Path(i.members),
        areas=Path(i.areas),
        postcodes=Path(i.postcodes),
        ward_lookup=Path(i.ward_lookup),
        lsoa_changes=Path(i.lsoa_changes),
        lsoa01_links=Path(links) if (links := getattr(i, "lsoa01_links", None)) else None,
    )
    run(
        Path(i.sites),
        reference=reference,
        output_dir=Path(snakemake.output.classified).parent,
        passthrough=p.passthrough,
        percents=p.percents,
    )
