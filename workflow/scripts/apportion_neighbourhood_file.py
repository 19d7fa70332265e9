"""Share of each LSOA inside each neighbourhood of one file, by area and by postcodes."""

from geo.core.io import read_geoparquet, write_parquet
from geo.core.jobs import keyed
from geo.core.logs import logged
from geo.statistics.apportion import read_postcode_points, shares_by_vintage

with logged(snakemake.log[0]):
    p = snakemake.params
    neighbourhoods = read_geoparquet(snakemake.input.neighbourhoods)
    layers = {int(v): read_geoparquet(path) for v, path in keyed(snakemake.input, "layer").items()}
    points = (
        read_postcode_points(snakemake.input.postcodes, crs=p.crs, source=p.postcodes)
        if p.postcodes
        else None
    )
    write_parquet(shares_by_vintage(neighbourhoods, layers, points), snakemake.output[0])
