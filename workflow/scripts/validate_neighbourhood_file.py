"""Validate one drawn-neighbourhoods file and write it in the project CRS."""

from geo.core.io import read_geoparquet, write_parquet
from geo.core.logs import logged
from geo.inputs.neighbourhoods import read_neighbourhood_file

with logged(snakemake.log[0]):
    p = snakemake.params
    outline = read_geoparquet(snakemake.input.outline)
    layer = read_neighbourhood_file(
        snakemake.input.file,
        outline=outline.to_crs(p.crs).geometry.iloc[0],
        crs=p.crs,
        repair_invalid=p.repair_invalid,
        outside_tolerance=p.outside_tolerance,
        authority=outline["authority"].iloc[0],
    )
    write_parquet(layer, snakemake.output[0])
