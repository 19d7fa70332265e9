"""Join the authority's LSOA boundaries to one vintage's national IoD table."""

from geo.core.io import read_geoparquet, read_parquet, write_parquet
from geo.core.logs import logged
from geo.inputs.lsoa import build_lsoa_layer, build_lsoa_layer_from_file

with logged(snakemake.log[0]):
    p, i = snakemake.params, snakemake.input
    settings = dict(
        lad_code=p.lad_code,
        vintage=int(snakemake.wildcards.vintage),
        thresholds=p.thresholds,
        crs=p.crs,
        source=i.table,
    )
    if p.derived_boundaries:  # LSOA 2001: shapes derived from LSOA 2011 (build_lsoa01_boundaries)
        layer = build_lsoa_layer(read_parquet(i.table), read_geoparquet(i.boundaries), **settings)
    else:
        layer = build_lsoa_layer_from_file(
            read_parquet(i.table),
            i.boundaries,
            repair=p.repair_invalid,
            boundaries_source=f"{i.boundaries} (dataset {p.boundary_dataset})",
            **settings,
        )
    write_parquet(layer, snakemake.output[0])
