"""Build the canonical national LSOA table of one IoD vintage."""

from pathlib import Path

from geo.core.io import write_parquet
from geo.core.logs import logged
from geo.inputs.imd import load_national

with logged(snakemake.log[0]):
    inputs = {name: Path(path) for name, path in snakemake.input.items()}
    table = load_national(int(snakemake.wildcards.vintage), inputs)
    write_parquet(table, snakemake.output[0])
