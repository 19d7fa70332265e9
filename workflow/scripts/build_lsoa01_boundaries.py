"""Derive the authority's LSOA 2001 shapes from its LSOA 2011 boundaries through the lookup."""

from geo.core.io import read_parquet, write_parquet
from geo.core.logs import logged
from geo.geography.lsoa01 import lsoa01_boundaries

with logged(snakemake.log[0]):
    p, i = snakemake.params, snakemake.input
    shapes = lsoa01_boundaries(
        read_parquet(i.table),
        read_parquet(i.links),
        i.boundaries,
        lad_code=p.lad_code,
        vintage=int(p.vintage),
        crs=p.crs,
        repair=p.repair_invalid,
        source=i.table,
        boundaries_source=f"{i.boundaries} (dataset {p.boundary_dataset})",
    )
    write_parquet(shapes, snakemake.output[0])
